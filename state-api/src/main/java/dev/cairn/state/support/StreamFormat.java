package dev.cairn.state.support;

/**
 * The magic number and version a stream in the canonical framing starts with ({@code docs/format.md}): canonical
 * keyed snapshots, or another format that reuses the framing, such as the heap backend's incremental checkpoint
 * files.
 *
 * @param magic the 8-byte magic number that identifies the format
 * @param version the format version written (the canonical format also reads its earlier version)
 * @param description what such a stream is, for error messages
 */
public record StreamFormat(long magic, int version, String description) {
    /** Canonical keyed snapshots: savepoints, full heap checkpoints. */
    public static final StreamFormat CANONICAL = new StreamFormat(
            CanonicalSnapshotWriter.MAGIC, CanonicalSnapshotWriter.VERSION, "Cairn canonical snapshot");
}
