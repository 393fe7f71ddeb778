package dev.cairn.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.StateBackendOptions;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.heap.HashMapStateBackendFactory;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.spi.StateBackendFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The heap backend is found by its {@code state.backend.type} name through {@link ServiceLoader}. */
class HashMapStateBackendFactoryTest {
    @Test
    void serviceLoaderFindsTheHashmapFactory() {
        Configuration config = new Configuration();
        String wanted = config.get(StateBackendOptions.STATE_BACKEND);
        StateBackendFactory<?> factory = ServiceLoader.load(StateBackendFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(wanted))
                .findFirst()
                .orElseThrow();
        StateBackend backend = factory.createFromConfig(config, getClass().getClassLoader());
        assertThat(backend).isInstanceOf(HashMapStateBackend.class);
        assertThat(backend.getName()).isEqualTo("hashmap");
    }

    @Test
    void incrementalCheckpointsAndTheirChainLimitsComeFromTheConfiguration() {
        Configuration config = new Configuration();
        config.setString("execution.checkpointing.incremental", "true");
        config.setString("state.backend.heap.incremental.max-chain-length", "4");
        HashMapStateBackend backend = new HashMapStateBackendFactory()
                .createFromConfig(config, getClass().getClassLoader());
        assertThat(backend.isIncrementalCheckpointsEnabled()).isTrue();
        assertThat(backend.toString()).contains("max chain 4", "max delta ratio 0.3");

        Configuration legacyKey = new Configuration();
        legacyKey.setString("state.backend.incremental", "true");
        assertThat(new HashMapStateBackendFactory()
                        .createFromConfig(legacyKey, getClass().getClassLoader())
                        .isIncrementalCheckpointsEnabled())
                .isTrue();
        assertThat(new HashMapStateBackend(false).configure(config).isIncrementalCheckpointsEnabled())
                .as("a choice made in code wins")
                .isFalse();
    }

    @Test
    void anInvalidChainLimitIsRefusedNamingTheKey() {
        Configuration config = new Configuration();
        config.setString("state.backend.heap.incremental.max-delta-ratio", "-1");
        assertThatThrownBy(() -> new HashMapStateBackendFactory()
                        .createFromConfig(config, getClass().getClassLoader()))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.heap.incremental.max-delta-ratio")
                .hasMessageContaining("-1");
    }
}
