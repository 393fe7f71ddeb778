package dev.cairn.state.support;

/**
 * The (namespace, timestamp) part of a timer: its position in a timer table, under the timer's key.
 *
 * @param namespace the timer's namespace
 * @param timestamp the timer's timestamp
 * @param <N> namespace type
 */
public record TimerSlot<N>(N namespace, long timestamp) {}
