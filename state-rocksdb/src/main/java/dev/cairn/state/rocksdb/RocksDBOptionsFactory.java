package dev.cairn.state.rocksdb;

import java.util.Collection;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * Customizes RocksDB options beyond the predefined profiles and configuration keys (as Flink's
 * {@code RocksDBOptionsFactory}). Set programmatically with
 * {@link EmbeddedRocksDBStateBackend#setRocksDBOptions} or by class name in
 * {@code state.backend.rocksdb.options-factory} (then it needs a public no-argument constructor).
 *
 * <p><b>Caveats:</b> managed memory is applied after the factory and overrides block cache and write buffer
 * settings; native objects the factory creates must be added to {@code handlesToClose}.
 */
public interface RocksDBOptionsFactory {
    /**
     * Adjusts (or replaces) the DB options.
     *
     * @param currentOptions the options so far (profile and configuration keys applied)
     * @param handlesToClose collects native objects to close with the backend
     * @return the options to use
     */
    DBOptions createDBOptions(DBOptions currentOptions, Collection<AutoCloseable> handlesToClose);

    /**
     * Adjusts (or replaces) the options of every column family.
     *
     * @param currentOptions the options so far (profile and configuration keys applied)
     * @param handlesToClose collects native objects to close with the backend
     * @return the options to use
     */
    ColumnFamilyOptions createColumnOptions(
            ColumnFamilyOptions currentOptions, Collection<AutoCloseable> handlesToClose);
}
