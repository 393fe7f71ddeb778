package dev.cairn.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.Configuration;
import dev.cairn.state.StateBackendOptions;
import dev.cairn.state.heap.HashMapStateBackend;
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
}
