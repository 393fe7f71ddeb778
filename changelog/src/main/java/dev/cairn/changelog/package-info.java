/**
 * The changelog state backend: wraps any {@link dev.cairn.state.spi.StateBackend}, records every state change in
 * a {@link dev.cairn.changelog.StateChangelogStorage} as it happens, and checkpoints as "last materialized snapshot
 * of the wrapped backend + the changes since", so a checkpoint uploads only the changes not uploaded yet.
 */
package dev.cairn.changelog;
