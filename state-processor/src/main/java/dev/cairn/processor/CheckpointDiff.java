package dev.cairn.processor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which keyed states changed between two checkpoints, and how many of their entries: added, removed, changed
 * (same key and namespace — and map key, for map state — with another value) and unchanged. Values are compared
 * with {@link Objects#deepEquals}; TTL timestamps are not compared (rewriting the same value is no change).
 *
 * <p>Memory is bounded by one key group's entries: both sides are read key group by key group, in step, so the two
 * checkpoints must have the same max parallelism (rescale one first otherwise). Timers are entries identified by
 * their timestamp too, so a moved timer counts as one removed and one added.
 */
public final class CheckpointDiff {
    private CheckpointDiff() {}

    /**
     * How one keyed state differs.
     *
     * @param operatorId the operator
     * @param state the state's name
     * @param added entries only in the second checkpoint
     * @param removed entries only in the first checkpoint
     * @param changed entries in both, with different values
     * @param unchanged entries in both, with equal values
     */
    public record StateDiff(String operatorId, String state, long added, long removed, long changed, long unchanged) {
        /** {@return whether the state differs at all} */
        public boolean differs() {
            return added + removed + changed > 0;
        }
    }

    /**
     * Compares every keyed state of every operator of two checkpoints.
     *
     * @param before the earlier checkpoint
     * @param after the later checkpoint
     * @return one result per (operator, state) in either checkpoint
     * @throws IOException when a state cannot be read
     * @throws IllegalArgumentException when an operator's max parallelism differs between the two
     */
    public static List<StateDiff> compare(CheckpointView before, CheckpointView after) throws IOException {
        Set<String> operators = new LinkedHashSet<>();
        before.operators().forEach(operator -> operators.add(operator.id()));
        after.operators().forEach(operator -> operators.add(operator.id()));
        List<StateDiff> result = new ArrayList<>();
        for (String operatorId : operators) {
            OperatorView left = find(before, operatorId);
            OperatorView right = find(after, operatorId);
            OptionalInt leftGroups = left == null ? OptionalInt.empty() : left.maxParallelism();
            OptionalInt rightGroups = right == null ? OptionalInt.empty() : right.maxParallelism();
            if (leftGroups.isPresent() && rightGroups.isPresent() && leftGroups.getAsInt() != rightGroups.getAsInt()) {
                throw new IllegalArgumentException("Operator '" + operatorId + "' has max parallelism "
                        + leftGroups.getAsInt() + " in " + before.pointer() + " and " + rightGroups.getAsInt()
                        + " in " + after.pointer() + "; rescale one of them to compare");
            }
            Set<String> states = new LinkedHashSet<>();
            if (left != null) {
                left.keyedStates().forEach(state -> states.add(state.name()));
            }
            if (right != null) {
                right.keyedStates().forEach(state -> states.add(state.name()));
            }
            for (String state : states) {
                result.add(compareState(operatorId, state, left, right));
            }
        }
        return result;
    }

    private static OperatorView find(CheckpointView view, String operatorId) {
        return view.operators().stream()
                .filter(operator -> operator.id().equals(operatorId))
                .findFirst()
                .orElse(null);
    }

    private static Stream<KeyedEntry> entries(OperatorView operator, String state) throws IOException {
        if (operator == null
                || operator.keyedStates().stream().noneMatch(info -> info.name().equals(state))) {
            return Stream.empty();
        }
        return operator.entries(state);
    }

    /** An entry's identity: key, namespace and — for map state — map key; for timers also the timestamp. */
    private record Identity(Object key, Object namespace, Object detail) {}

    private static StateDiff compareState(String operatorId, String state, OperatorView left, OperatorView right)
            throws IOException {
        long[] counts = new long[4]; // added, removed, changed, unchanged
        boolean timers = isTimers(left, state) || isTimers(right, state);
        try (Stream<KeyedEntry> leftStream = entries(left, state);
                Stream<KeyedEntry> rightStream = entries(right, state)) {
            KeyGroupRuns leftRuns = new KeyGroupRuns(leftStream.iterator(), timers);
            KeyGroupRuns rightRuns = new KeyGroupRuns(rightStream.iterator(), timers);
            while (leftRuns.hasNext() || rightRuns.hasNext()) {
                int keyGroup = Math.min(leftRuns.nextKeyGroup(), rightRuns.nextKeyGroup());
                Map<Identity, Object> leftEntries = leftRuns.take(keyGroup);
                Map<Identity, Object> rightEntries = rightRuns.take(keyGroup);
                for (Map.Entry<Identity, Object> entry : leftEntries.entrySet()) {
                    if (!rightEntries.containsKey(entry.getKey())) {
                        counts[1]++;
                    } else if (Objects.deepEquals(entry.getValue(), rightEntries.get(entry.getKey()))) {
                        counts[3]++;
                    } else {
                        counts[2]++;
                    }
                }
                for (Identity identity : rightEntries.keySet()) {
                    if (!leftEntries.containsKey(identity)) {
                        counts[0]++;
                    }
                }
            }
        }
        return new StateDiff(operatorId, state, counts[0], counts[1], counts[2], counts[3]);
    }

    private static boolean isTimers(OperatorView operator, String state) throws IOException {
        return operator != null
                && operator.keyedStates().stream()
                        .anyMatch(
                                info -> info.name().equals(state) && info.kind().equals("TIMERS"));
    }

    /** The entries of a stream in runs of one key group (key groups ascend). */
    private static final class KeyGroupRuns {
        private final Iterator<KeyedEntry> entries;
        private final boolean timers;
        private KeyedEntry pending;

        KeyGroupRuns(Iterator<KeyedEntry> entries, boolean timers) {
            this.entries = entries;
            this.timers = timers;
            this.pending = entries.hasNext() ? entries.next() : null;
        }

        boolean hasNext() {
            return pending != null;
        }

        int nextKeyGroup() {
            return pending == null ? Integer.MAX_VALUE : pending.keyGroup();
        }

        Map<Identity, Object> take(int keyGroup) {
            Map<Identity, Object> run = new HashMap<>();
            while (pending != null && pending.keyGroup() == keyGroup) {
                Object value = pending.value();
                Object detail = null;
                if (value instanceof Map.Entry<?, ?> mapEntry) {
                    detail = mapEntry.getKey();
                    value = mapEntry.getValue();
                } else if (timers) {
                    detail = value;
                }
                run.put(new Identity(pending.key(), pending.namespace(), detail), value);
                pending = entries.hasNext() ? entries.next() : null;
            }
            return run;
        }
    }
}
