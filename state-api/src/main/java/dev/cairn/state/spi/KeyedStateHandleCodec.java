package dev.cairn.state.spi;

/**
 * Puts one backend-specific kind of {@link KeyedStateHandle} into checkpoint metadata ({@code _metadata}) and reads
 * it back. The checkpoint storage knows only the handles of this package; a backend whose snapshots need another
 * handle type (RocksDB's native checkpoints, the changelog's materialized part plus changes) registers a codec with
 * {@link java.util.ServiceLoader} — a {@code META-INF/services/dev.cairn.state.spi.KeyedStateHandleCodec} entry, or
 * {@code provides} in its module descriptor — and the storage finds it by {@link #typeTag()}.
 *
 * <p><b>Caveats:</b> a codec's tag and fields are part of the metadata format ({@code docs/format.md}): once
 * released, a codec must keep reading what it wrote, and a tag is never reused for another layout. Metadata naming
 * a tag whose codec is not on the class path cannot be read (the error names the tag).
 */
public interface KeyedStateHandleCodec {
    /**
     * The value of the handle's {@code type} field in the metadata; unique among all codecs.
     *
     * @return a short, stable tag such as {@code native}
     */
    String typeTag();

    /**
     * The handle class this codec writes; a handle is written by the codec whose class it is an instance of.
     *
     * @return the handle class
     */
    Class<? extends KeyedStateHandle> handleType();

    /**
     * Writes the fields of {@code handle} (everything but the {@code type} field, which the storage writes).
     *
     * @param handle an instance of {@link #handleType()}
     * @param out the metadata object to write into
     */
    void write(KeyedStateHandle handle, HandleMetadataWriter out);

    /**
     * Reads a handle written by {@link #write}, checking what a writer cannot have produced.
     *
     * @param in the metadata object to read from
     * @return the handle
     * @throws dev.cairn.state.CorruptCheckpointException (from {@link HandleMetadataReader#corrupt}) when a field is
     *     missing, of the wrong type, or inconsistent with the others
     */
    KeyedStateHandle read(HandleMetadataReader in);
}
