/**
 * Checkpoint storage and the checkpoint coordinator.
 *
 * <p>{@link dev.cairn.checkpoint.CheckpointStorage} decides where snapshots go: {@link
 * dev.cairn.checkpoint.JobManagerCheckpointStorage} keeps them in memory, {@link
 * dev.cairn.checkpoint.FileSystemCheckpointStorage} writes them to a directory through the {@link
 * dev.cairn.checkpoint.fs.FileSystem} abstraction. {@link dev.cairn.checkpoint.CheckpointCoordinator} triggers
 * checkpoints and savepoints across registered backends, completes them by writing {@code _metadata}, retains,
 * subsumes and restores them.
 */
package dev.cairn.checkpoint;
