/**
 * {@link dev.cairn.state.heap.HashMapStateBackend}: keyed state as objects on the Java heap, copy-on-write
 * snapshots in the canonical format.
 */
package dev.cairn.state.heap;
