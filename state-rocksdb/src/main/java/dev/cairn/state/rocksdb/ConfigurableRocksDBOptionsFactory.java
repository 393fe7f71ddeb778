package dev.cairn.state.rocksdb;

import dev.cairn.state.ReadableConfig;

/** An options factory that reads its settings from the configuration before it is used. */
public interface ConfigurableRocksDBOptionsFactory extends RocksDBOptionsFactory {
    /**
     * {@return the factory configured from {@code configuration} (may be {@code this})}
     *
     * @param configuration the configuration
     */
    RocksDBOptionsFactory configure(ReadableConfig configuration);
}
