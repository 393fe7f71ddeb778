package dev.cairn.differential;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of parallel keyed backend instances of one operator — Cairn's or Flink's — that applies {@link Op}s and
 * returns what an application would observe, normalized so that both worlds' answers compare with
 * {@code equals}: lists in order, maps, key sets and multisets sorted, fired timers sorted within a timestamp.
 */
interface World extends AutoCloseable {
    /** The keys of every run. */
    List<String> KEYS = List.of("apple", "berry", "cherry", "damson", "elder", "fig");

    /** The max parallelism of every run: few key groups, so that rescaling moves keys between instances. */
    int MAX_PARALLELISM = 16;

    String VALUE = "value";
    String LIST = "list";
    String MAP = "map";
    String REDUCE = "reduce";
    String AGGREGATE = "aggregate";
    String TIMERS = "timers";

    /** Applies {@code op}; returns the observation ({@code "ok"} for steps that observe nothing). */
    Object apply(Op op) throws Exception;

    /** The instance index that owns {@code key} at the current parallelism. */
    int ownerOf(String key);

    @Override
    void close() throws Exception;

    /** The reduce function of every run: not commutative, so the order of reduction shows. */
    static String reduce(String a, String b) {
        return a + "," + b;
    }

    /** The aggregate function's accumulator: "sum/count", merged by adding both. */
    static String aggregateAdd(long value, String accumulator) {
        String[] parts = accumulator.split("/");
        return (Long.parseLong(parts[0]) + value) + "/" + (Long.parseLong(parts[1]) + 1);
    }

    static String aggregateMerge(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        return (Long.parseLong(x[0]) + Long.parseLong(y[0])) + "/" + (Long.parseLong(x[1]) + Long.parseLong(y[1]));
    }

    static String aggregateResult(String accumulator) {
        return "aggregate " + accumulator;
    }

    static List<Long> list(Iterable<Long> elements) {
        List<Long> list = new ArrayList<>();
        if (elements != null) {
            elements.forEach(list::add);
        }
        return list;
    }

    /** Entries as a sorted map (null values allowed). */
    static Map<Integer, Long> sortedEntries(Iterable<Map.Entry<Integer, Long>> entries) {
        Map<Integer, Long> sorted = new TreeMap<>();
        if (entries != null) {
            for (Map.Entry<Integer, Long> entry : entries) {
                if (sorted.containsKey(entry.getKey())) {
                    throw new AssertionError("Map entry " + entry.getKey() + " iterated twice");
                }
                sorted.put(entry.getKey(), entry.getValue());
            }
        }
        return sorted;
    }

    /** A multiset, sorted (nulls first). */
    static <T extends Comparable<T>> List<T> sorted(Collection<T> items) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        return sorted;
    }
}
