package dev.cairn.state.rocksdb;

import dev.cairn.state.ReadableConfig;
import dev.cairn.state.spi.StateBackendFactory;

/** Creates {@link EmbeddedRocksDBStateBackend}s for {@code state.backend.type: rocksdb}. */
public final class EmbeddedRocksDBStateBackendFactory implements StateBackendFactory<EmbeddedRocksDBStateBackend> {
    @Override
    public String name() {
        return EmbeddedRocksDBStateBackend.NAME;
    }

    @Override
    public EmbeddedRocksDBStateBackend createFromConfig(ReadableConfig config, ClassLoader classLoader) {
        return new EmbeddedRocksDBStateBackend().configure(config, classLoader);
    }
}
