package dev.cairn.state.spi;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import java.util.List;
import java.util.function.Function;

/**
 * One object of checkpoint metadata being read by a {@link KeyedStateHandleCodec}. Every getter fails with a
 * {@link CorruptCheckpointException} naming the field and the metadata file when the field is missing or of another
 * type; streams are resolved and checked by the storage (paths must stay inside their directories).
 */
public interface HandleMetadataReader {
    /**
     * Reads a string field.
     *
     * @param field the field name
     * @return the value
     */
    String getString(String field);

    /**
     * Reads a number field.
     *
     * @param field the field name
     * @return the value
     */
    long getLong(String field);

    /**
     * Reads an array of numbers written by {@link HandleMetadataWriter#putLongs}.
     *
     * @param field the field name
     * @return the values
     * @throws CorruptCheckpointException if the field is missing or not an array of integers
     */
    long[] getLongs(String field);

    /**
     * Reads a boolean field.
     *
     * @param field the field name
     * @return the value
     */
    boolean getBoolean(String field);

    /**
     * Reads the range written by {@link HandleMetadataWriter#putKeyGroupRange}, checked to be a valid range.
     *
     * @return the range
     */
    KeyGroupRange getKeyGroupRange();

    /**
     * Reads what {@link HandleMetadataWriter#putKeyGroupHash} wrote; metadata written before the field existed reads
     * as the legacy hash.
     *
     * @return whether Cairn's earlier hash assigned the keys to key groups
     */
    boolean legacyKeyGroupHash();

    /**
     * Reads a stream written by {@link HandleMetadataWriter#putStream}.
     *
     * @param field the field name
     * @return the stream, its path checked and its recorded checksum attached
     */
    StreamStateHandle getStream(String field);

    /**
     * Reads a nested handle written by {@link HandleMetadataWriter#putKeyed}, through the codec of its type.
     *
     * @param field the field name
     * @return the handle
     */
    KeyedStateHandle getKeyed(String field);

    /**
     * Reads an array of nested handles written by {@link HandleMetadataWriter#putKeyedList}.
     *
     * @param field the field name
     * @return the handles in order
     */
    List<KeyedStateHandle> getKeyedList(String field);

    /**
     * Reads an array of objects written by {@link HandleMetadataWriter#putArray}.
     *
     * @param field the field name
     * @param element reads one element from its object
     * @param <T> the element type
     * @return the elements in order
     */
    <T> List<T> getArray(String field, Function<HandleMetadataReader, T> element);

    /**
     * An exception for metadata that a writer cannot have produced, its message naming the metadata file.
     *
     * @param problem what is wrong, e.g. {@code "a native handle covers 0..9 but its meta stream 0..4"}
     * @return the exception to throw
     */
    CorruptCheckpointException corrupt(String problem);
}
