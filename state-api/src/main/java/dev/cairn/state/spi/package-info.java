/**
 * The service provider interface: the contracts a state backend or a checkpoint storage implements and a runtime
 * calls — {@link dev.cairn.state.spi.StateBackend} and its factory, the keyed and operator backend contracts,
 * snapshots ({@link dev.cairn.state.spi.CheckpointStreamFactory}, the state handles,
 * {@link dev.cairn.state.spi.SnapshotResult}) and the codecs that put backend-specific handles into checkpoint
 * metadata. Application code does not need this package; it uses {@link dev.cairn.state}.
 *
 * <p>Shared implementation that a backend may build on (the canonical snapshot format, serialization buffers, the
 * abstract keyed backend) lives in {@link dev.cairn.state.support}, outside this compatibility promise.
 */
package dev.cairn.state.spi;
