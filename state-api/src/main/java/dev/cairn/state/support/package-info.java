/**
 * Shared implementation for state backends: the abstract keyed backend with its state registry, the canonical
 * snapshot format ({@link dev.cairn.state.support.CanonicalSnapshotWriter},
 * {@link dev.cairn.state.support.CanonicalSnapshotReader}; described in {@code docs/format.md}), serialization
 * buffers, registered-state metadata, the asynchronous snapshot task that ends cancelled when its backend closes, and
 * the copy-on-write key-group tables and heap timers both built-in backends use.
 *
 * <p><b>Caveats:</b> not part of the application API nor of the SPI's compatibility promise. A third-party backend
 * may use it and should expect changes between minor versions; the module descriptor exports it only to Cairn's own
 * modules.
 */
package dev.cairn.state.support;
