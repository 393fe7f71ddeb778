package dev.cairn.differential;

import java.util.List;
import java.util.Map;

/**
 * One step of a differential run. Keyed steps name a key (an index into {@link World#KEYS}) and a namespace; both
 * worlds apply the step and return what an application would observe.
 */
sealed interface Op {

    /** A step on the state of one key in one namespace. */
    sealed interface Keyed extends Op {
        int key();

        long ns();
    }

    record ValueRead(int key, long ns) implements Keyed {}

    record ValueWrite(int key, long ns, Long value) implements Keyed {}

    record ValueClear(int key, long ns) implements Keyed {}

    record ListRead(int key, long ns) implements Keyed {}

    record ListAdd(int key, long ns, long value) implements Keyed {}

    record ListAddAll(int key, long ns, List<Long> values) implements Keyed {}

    record ListUpdate(int key, long ns, List<Long> values) implements Keyed {}

    record ListClear(int key, long ns) implements Keyed {}

    record MapRead(int key, long ns, int userKey) implements Keyed {}

    record MapContains(int key, long ns, int userKey) implements Keyed {}

    record MapPut(int key, long ns, int userKey, Long value) implements Keyed {}

    record MapPutAll(int key, long ns, Map<Integer, Long> entries) implements Keyed {}

    record MapRemove(int key, long ns, int userKey) implements Keyed {}

    /** Iterates {@code entries()} and compares the entries (unordered). */
    record MapEntries(int key, long ns) implements Keyed {}

    record MapKeys(int key, long ns) implements Keyed {}

    record MapValues(int key, long ns) implements Keyed {}

    record MapIsEmpty(int key, long ns) implements Keyed {}

    /** Removes, through {@code iterator().remove()}, every entry whose user key has this parity. */
    record MapRemoveIf(int key, long ns, int parity) implements Keyed {}

    /** Sets the value of the entry with {@code userKey}, if any, through {@code Map.Entry.setValue}. */
    record MapSetValue(int key, long ns, int userKey, long value) implements Keyed {}

    record MapClear(int key, long ns) implements Keyed {}

    record ReduceRead(int key, long ns) implements Keyed {}

    record ReduceAdd(int key, long ns, String value) implements Keyed {}

    record ReduceClear(int key, long ns) implements Keyed {}

    record AggregateRead(int key, long ns) implements Keyed {}

    record AggregateAdd(int key, long ns, long value) implements Keyed {}

    record AggregateClear(int key, long ns) implements Keyed {}

    /** Merges {@code sources} into the target namespace {@code ns} of a list, reducing or aggregating state. */
    record Merge(String state, int key, long ns, List<Long> sources) implements Keyed {}

    record TimerAdd(int key, long ns, long timestamp) implements Keyed {}

    record TimerRemove(int key, long ns, long timestamp) implements Keyed {}

    /** Polls every timer up to {@code upTo} on every instance; compares what fired. */
    record TimersFire(long upTo) implements Op {}

    record TimersSize() implements Op {}

    /** {@code getKeys(state, ns)} on every instance. */
    record Keys(String state, long ns) implements Op {}

    /** {@code getKeysAndNamespaces(state)} on every instance. */
    record KeysAndNamespaces(String state) implements Op {}

    /** Moves the TTL clock. */
    record Advance(long millis) implements Op {}

    /** Snapshots every instance and restores them with the same parallelism. */
    record Checkpoint() implements Op {}

    /** As {@link Checkpoint}, with savepoints. */
    record Savepoint() implements Op {}

    /** Snapshots every instance and restores into {@code parallelism} instances. */
    record Rescale(int parallelism) implements Op {}
}
