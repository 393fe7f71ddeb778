/** Internals of the heap backend: copy-on-write state maps, state tables, state objects, snapshot and restore. */
package dev.cairn.state.heap.internal;
