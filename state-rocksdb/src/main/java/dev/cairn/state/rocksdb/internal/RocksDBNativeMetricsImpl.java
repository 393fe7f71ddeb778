package dev.cairn.state.rocksdb.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * The RocksDB properties switched on by {@code state.backend.rocksdb.metrics.*}, summed over the column families
 * of one instance. Read them as a map, or register them as gauges with any metrics library
 * ({@code metrics.register(reporter::gauge)}).
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

    /** The current value of one property, or -1 when the backend is closed or RocksDB does not report it. */
    public long value(String property) {
        if (backend.isClosed()) {
            return -1;
        }
        long sum = 0;
        try {
            for (ColumnFamilyHandle handle : backend.allColumnFamilies()) {
                sum += backend.db().getLongProperty(handle, "rocksdb." + property);
                if (property.startsWith("block-cache")) {
                    return sum; // the cache is shared: one column family reports it
                }
            }
        } catch (RocksDBException | IllegalStateException e) {
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

    /** Registers each enabled property as a gauge named {@code rocksdb.<property>}. */
    public void register(BiConsumer<String, LongSupplier> gauges) {
        for (String property : properties) {
            gauges.accept("rocksdb." + property, () -> value(property));
        }
    }
}
