package dev.cairn.state.heap.internal;

/** The (namespace, timestamp) part of a timer: its position in a timer table, under the timer's key. */
record TimerSlot<N>(N namespace, long timestamp) {}
