package dev.cairn.state.spi;

import java.util.Collection;

/**
 * A list, reducing or aggregating state whose contents in several namespaces can be merged into one, for the
 * current key: what merging windows (session windows) need when windows join. Every such state object a backend
 * returns implements it:
 *
 * <pre>{@code
 * ListState<Event> events = backend.getPartitionedState(window, windowSerializer, eventsDescriptor);
 * ((InternalMergingState<TimeWindow>) events).mergeNamespaces(mergedWindow, List.of(windowA, windowB));
 * }</pre>
 *
 * <p>Semantics (Flink's): the sources' contents are taken out of their namespaces in the given order and combined
 * (list elements concatenated, values reduced with the reduce function, accumulators combined with
 * {@link dev.cairn.state.AggregateFunction#merge}); the result is then combined with the target's contents (the
 * target's first) and stored in the target. Sources without content are skipped; the target may be one of the
 * sources. TTL timestamps follow Flink's rules: list elements keep theirs, reduced and merged values get the time of
 * the merge. The state's current namespace is unchanged afterwards.
 *
 * @param <N> the namespace type
 */
public interface InternalMergingState<N> extends InternalKvState<N> {
    /**
     * Merges the contents of {@code sources} into {@code target}, for the current key.
     *
     * @param target the namespace that holds the merged contents afterwards
     * @param sources the namespaces whose contents are taken out, in order
     *
     * @throws UnsupportedOperationException for an aggregating state whose function does not implement
     *     {@code merge}
     */
    void mergeNamespaces(N target, Collection<N> sources);
}
