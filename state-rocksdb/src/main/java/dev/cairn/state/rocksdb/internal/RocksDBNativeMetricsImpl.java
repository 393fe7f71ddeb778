package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.metrics.MetricGroup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * The RocksDB properties switched on by {@code state.backend.rocksdb.metrics.*}, summed over the column families
 * of one instance. Read them as a map, or as gauges of the backend's metric group.
 */
public final class RocksDBNativeMetricsImpl {
    private final RocksDBKeyedStateBackend<?> backend;
    private final Set<String> properties;

    RocksDBNativeMetricsImpl(RocksDBKeyedStateBackend<?> backend, Set<String> properties) {
        this.backend = backend;
        this.properties = new TreeSet<>(properties);
    }

    /** The enabled property names (without the {@code rocksdb.} prefix). */
    public Set<String> enabled() {
        return properties;
    }

    /**
     * The current value of one property, or -1 when the backend is closed or RocksDB does not report it. Safe on
     * any thread: it reads under the backend's close lock.
     */
    public long value(String property) {
        return backend.readWhileOpen(() -> sum(property), -1);
    }

    private long sum(String property) {
        long sum = 0;
        try {
            for (ColumnFamilyHandle handle : backend.allColumnFamilies()) {
                sum += backend.dbAsWritten().getLongProperty(handle, "rocksdb." + property);
                if (property.startsWith("block-cache")) {
                    return sum; // the cache is shared: one column family reports it
                }
            }
        } catch (RocksDBException e) {
            return -1;
        }
        return sum;
    }

    /** Every enabled property's current value. */
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String property : properties) {
            values.put(property, value(property));
        }
        return values;
    }

    /**
     * Registers each enabled property as a gauge {@code cairn.rocksdb.<property>} (for example
     * {@code cairn.rocksdb.estimate-num-keys}), summed over the column families.
     *
     * @param group the backend's metric group
     */
    public void register(MetricGroup group) {
        for (String property : properties) {
            group.gauge(
                    "cairn.rocksdb." + property,
                    "RocksDB property rocksdb." + property + ", summed over the column families (-1: unavailable)",
                    null,
                    () -> value(property));
        }
    }
}
