package dev.cairn.state.support;

import dev.cairn.state.StateDescriptor;

/**
 * What a backend stores under a state name: one of the descriptor types, or a timer queue. Snapshots record it
 * (its ordinal is the type byte of the canonical format, {@code docs/format.md}); applications never see it —
 * they use {@link StateDescriptor.Type}, which has no timer entry because no descriptor creates timers.
 */
public enum StateKind {
    /** {@link StateDescriptor.Type#VALUE}. */
    VALUE,
    /** {@link StateDescriptor.Type#LIST}. */
    LIST,
    /** {@link StateDescriptor.Type#MAP}. */
    MAP,
    /** {@link StateDescriptor.Type#REDUCING}. */
    REDUCING,
    /** {@link StateDescriptor.Type#AGGREGATING}. */
    AGGREGATING,
    /** A timer queue, created by {@code createTimerQueue}, never by a descriptor. */
    TIMERS;

    /**
     * The kind of state a descriptor of {@code type} creates.
     *
     * @param type a descriptor's type
     * @return the kind of the same name
     */
    public static StateKind of(StateDescriptor.Type type) {
        return switch (type) {
            case VALUE -> VALUE;
            case LIST -> LIST;
            case MAP -> MAP;
            case REDUCING -> REDUCING;
            case AGGREGATING -> AGGREGATING;
        };
    }
}
