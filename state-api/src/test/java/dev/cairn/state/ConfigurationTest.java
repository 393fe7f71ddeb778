package dev.cairn.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    private static final ConfigOption<MemorySize> THRESHOLD = ConfigOptions.key(
                    "execution.checkpointing.data-inline-threshold")
            .memoryType()
            .defaultValue(MemorySize.ofKibiBytes(20))
            .withDeprecatedKeys("state.storage.fs.memory-threshold", "state.backend.fs.memory-threshold");
    private static final ConfigOption<Duration> INTERVAL = ConfigOptions.key(
                    "state.changelog.periodic-materialize.interval")
            .durationType()
            .defaultValue(Duration.ofMinutes(10));
    private static final ConfigOption<Integer> RETAINED =
            ConfigOptions.key("execution.checkpointing.num-retained").intType().defaultValue(1);
    private static final ConfigOption<Boolean> INCREMENTAL = ConfigOptions.key("execution.checkpointing.incremental")
            .booleanType()
            .defaultValue(false);

    enum Mode {
        CLAIM,
        NO_CLAIM
    }

    private static final ConfigOption<Mode> MODE = ConfigOptions.key("execution.state-recovery.claim-mode")
            .enumType(Mode.class)
            .defaultValue(Mode.NO_CLAIM);

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Configuration config = new Configuration();
        assertThat(config.get(THRESHOLD)).isEqualTo(MemorySize.ofKibiBytes(20));
        assertThat(config.get(INTERVAL)).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.getOptional(RETAINED)).isEmpty();
        assertThat(config.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
    }

    @Test
    void stringsAreParsedByType() {
        Configuration config = Configuration.fromMap(Map.of(
                THRESHOLD.key(), "1 mb",
                INTERVAL.key(), "90s",
                RETAINED.key(), " 3 ",
                INCREMENTAL.key(), "TRUE",
                MODE.key(), "claim"));
        assertThat(config.get(THRESHOLD).getBytes()).isEqualTo(1 << 20);
        assertThat(config.get(INTERVAL)).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.get(RETAINED)).isEqualTo(3);
        assertThat(config.get(INCREMENTAL)).isTrue();
        assertThat(config.get(MODE)).isEqualTo(Mode.CLAIM);
    }

    @Test
    void deprecatedKeysAreFallbacksAndTheNewKeyWins() {
        Configuration config = Configuration.fromMap(Map.of("state.storage.fs.memory-threshold", "4kb"));
        assertThat(config.get(THRESHOLD)).isEqualTo(MemorySize.ofKibiBytes(4));
        config.setString(THRESHOLD.key(), "8kb");
        assertThat(config.get(THRESHOLD)).isEqualTo(MemorySize.ofKibiBytes(8));
        Configuration legacy = Configuration.fromMap(Map.of("state.backend", "rocksdb"));
        assertThat(legacy.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
        Configuration config = Configuration.fromMap(Map.of(
                THRESHOLD.key(),
                "abc",
                INTERVAL.key(),
                "10 fortnights",
                RETAINED.key(),
                "many",
                INCREMENTAL.key(),
                "yes",
                MODE.key(),
                "steal"));
        assertThatThrownBy(() -> config.get(THRESHOLD))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(THRESHOLD.key())
                .hasMessageContaining("'abc'")
                .hasMessageContaining("memory size");
        assertThatThrownBy(() -> config.get(INTERVAL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(INTERVAL.key())
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> config.get(RETAINED))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("'many'")
                .hasMessageContaining("Integer");
        assertThatThrownBy(() -> config.get(INCREMENTAL)).hasMessageContaining("'true' or 'false'");
        assertThatThrownBy(() -> config.get(MODE)).hasMessageContaining("CLAIM").hasMessageContaining("steal");
    }

    @Test
    void typedValuesRoundTripThroughToMap() {
        Configuration config =
                new Configuration().set(INTERVAL, Duration.ofMinutes(3)).set(THRESHOLD, MemorySize.ofKibiBytes(20));
        Configuration reparsed = Configuration.fromMap(config.toMap());
        assertThat(reparsed.get(INTERVAL)).isEqualTo(Duration.ofMinutes(3));
        assertThat(reparsed.get(THRESHOLD)).isEqualTo(MemorySize.ofKibiBytes(20));
        assertThat(config.toMap()).containsEntry(INTERVAL.key(), "3 min").containsEntry(THRESHOLD.key(), "20kb");
    }

    @Test
    void memorySizesParse() {
        assertThat(MemorySize.parse("4096").getBytes()).isEqualTo(4096);
        assertThat(MemorySize.parse("64m").getBytes()).isEqualTo(64L << 20);
        assertThat(MemorySize.parse("2 GB").getBytes()).isEqualTo(2L << 30);
        assertThatThrownBy(() -> MemorySize.parse("-1kb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemorySize.parse("99999999999999999tb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
    }
}
