package dev.cairn.state.spi;

import dev.cairn.state.KeyGroupRange;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One object of checkpoint metadata being written by a {@link KeyedStateHandleCodec}. Streams and nested handles are
 * written by the storage, which stores file paths relative to their directories and checksums with them.
 */
public interface HandleMetadataWriter {
    /**
     * Writes a string field.
     *
     * @param field the field name
     * @param value the value
     */
    void putString(String field, String value);

    /**
     * Writes a number field.
     *
     * @param field the field name
     * @param value the value
     */
    void putLong(String field, long value);

    /**
     * Writes an array of numbers (offsets, indexes).
     *
     * @param field the field name
     * @param values the values
     */
    void putLongs(String field, long[] values);

    /**
     * Writes a boolean field.
     *
     * @param field the field name
     * @param value the value
     */
    void putBoolean(String field, boolean value);

    /**
     * Writes the key-group range the handle covers (read back by {@link HandleMetadataReader#getKeyGroupRange()}).
     *
     * @param range the range
     */
    void putKeyGroupRange(KeyGroupRange range);

    /**
     * Records which hash assigned the keys to key groups (read back by
     * {@link HandleMetadataReader#legacyKeyGroupHash()}).
     *
     * @param legacy whether Cairn's earlier hash assigned them (only for handles restored from such metadata)
     */
    void putKeyGroupHash(boolean legacy);

    /**
     * Writes a stream: inline bytes or a file reference, with its checksum.
     *
     * @param field the field name
     * @param stream the stream
     */
    void putStream(String field, StreamStateHandle stream);

    /**
     * Writes a nested keyed handle of any type, through its codec.
     *
     * @param field the field name
     * @param handle the nested handle
     */
    void putKeyed(String field, KeyedStateHandle handle);

    /**
     * Writes an array of nested keyed handles of any types, each through its codec.
     *
     * @param field the field name
     * @param handles the handles (an empty list writes an empty array)
     */
    void putKeyedList(String field, List<? extends KeyedStateHandle> handles);

    /**
     * Writes an array of objects, one per element.
     *
     * @param field the field name
     * @param elements the elements (an empty list writes an empty array)
     * @param element writes one element into its object
     * @param <T> the element type
     */
    <T> void putArray(String field, List<T> elements, BiConsumer<T, HandleMetadataWriter> element);
}
