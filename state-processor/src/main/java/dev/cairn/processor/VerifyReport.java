package dev.cairn.processor;

import java.util.List;

/**
 * The result of {@link CheckpointView#verify}.
 *
 * @param files the number of files checked
 * @param bytes the bytes of those files
 * @param entries the keyed-state entries decoded (0 unless deep)
 * @param problems what is wrong, one entry per bad file or state; empty when the checkpoint is intact
 */
public record VerifyReport(int files, long bytes, long entries, List<Problem> problems) {
    /**
     * Copies the list.
     *
     * @param files the number of files checked
     * @param bytes the bytes of those files
     * @param entries the keyed-state entries decoded
     * @param problems what is wrong
     */
    public VerifyReport {
        problems = List.copyOf(problems);
    }

    /** {@return whether nothing is wrong} */
    public boolean intact() {
        return problems.isEmpty();
    }

    /**
     * One bad file or state.
     *
     * @param where the file's path, or {@code operator/state}
     * @param message what is wrong with it
     */
    public record Problem(String where, String message) {}
}
