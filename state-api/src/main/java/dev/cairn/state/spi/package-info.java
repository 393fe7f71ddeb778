/**
 * Where backends and runtimes meet: {@link dev.cairn.state.spi.StateBackend} and its factory, the keyed backend
 * contract, snapshots ({@link dev.cairn.state.spi.CheckpointStreamFactory}, state handles,
 * {@link dev.cairn.state.spi.SnapshotResult}) and the canonical snapshot format shared by every backend
 * ({@link dev.cairn.state.spi.CanonicalSnapshotWriter}, {@link dev.cairn.state.spi.CanonicalSnapshotReader};
 * described in {@code docs/format.md}).
 */
package dev.cairn.state.spi;
