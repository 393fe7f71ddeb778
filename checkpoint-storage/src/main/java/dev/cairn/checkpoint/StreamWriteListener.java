package dev.cairn.checkpoint;

/** Told about every snapshot stream a checkpoint location completes; feeds progress reporting. */
@FunctionalInterface
public interface StreamWriteListener {
    /**
     * A stream was completed.
     *
     * @param bytes its size
     * @param file whether it became a file (else it is inlined into the metadata or held in memory)
     */
    void streamWritten(long bytes, boolean file);

    /** Ignores everything. */
    StreamWriteListener NONE = (bytes, file) -> {};
}
