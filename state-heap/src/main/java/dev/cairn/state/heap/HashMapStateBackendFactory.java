package dev.cairn.state.heap;

import dev.cairn.state.ReadableConfig;
import dev.cairn.state.spi.StateBackendFactory;

/**
 * Creates {@link HashMapStateBackend}s for {@code state.backend.type: hashmap}, configured by {@code
 * execution.checkpointing.incremental} and {@link HashMapStateBackendOptions}.
 */
public final class HashMapStateBackendFactory implements StateBackendFactory<HashMapStateBackend> {
    @Override
    public String name() {
        return HashMapStateBackend.NAME;
    }

    @Override
    public HashMapStateBackend createFromConfig(ReadableConfig config, ClassLoader classLoader) {
        return new HashMapStateBackend().configure(config);
    }
}
