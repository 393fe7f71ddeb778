package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedStateHandle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Restored state is checked against what the application registers now; incompatibility is a clear error. */
public abstract class SerializerCompatibilityConformance extends StateBackendTestBase {

    private List<KeyedStateHandle> snapshotWithOneValue() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        backend.setCurrentKey("k");
        backend.getState(new ValueStateDescriptor<>("amount", Serializers.STRING))
                .update("12");
        return handles(snapshot(backend));
    }

    @Test
    void incompatibleValueSerializerNamesTheState() throws Exception {
        CheckpointableKeyedStateBackend<String> restored = restoreBackend(snapshotWithOneValue());
        assertThatThrownBy(() -> restored.getState(new ValueStateDescriptor<>("amount", Serializers.LONG)))
                .isInstanceOf(StateMigrationException.class)
                .hasMessageContaining("'amount'");
    }

    @Test
    void changedStateTypeIsRejected() throws Exception {
        CheckpointableKeyedStateBackend<String> restored = restoreBackend(snapshotWithOneValue());
        assertThatThrownBy(() -> restored.getState(new ListStateDescriptor<>("amount", Serializers.STRING)))
                .isInstanceOf(StateMigrationException.class)
                .hasMessageContaining("'amount'")
                .hasMessageContaining("VALUE");
    }

    @Test
    void incompatibleKeySerializerFailsTheRestore() throws Exception {
        List<KeyedStateHandle> handles = snapshotWithOneValue();
        assertThatThrownBy(() -> restoreBackend(Serializers.LONG, handles, KeyGroupRange.of(0, MAX_PARALLELISM - 1)))
                .isInstanceOf(StateMigrationException.class)
                .hasMessageContaining("key serializer");
    }

    @Test
    void compatibleSerializerTakesOver() throws Exception {
        CheckpointableKeyedStateBackend<String> restored = restoreBackend(snapshotWithOneValue());
        restored.setCurrentKey("k");
        assertThat(restored.getState(new ValueStateDescriptor<>("amount", Serializers.STRING))
                        .value())
                .isEqualTo("12");
    }

    @Test
    void incompatibleNamespaceSerializerIsRejected() throws Exception {
        CheckpointableKeyedStateBackend<String> restored = restoreBackend(snapshotWithOneValue());
        assertThatThrownBy(() -> restored.getPartitionedState(
                        1L, Serializers.LONG, new ValueStateDescriptor<>("amount", Serializers.STRING)))
                .isInstanceOf(StateMigrationException.class)
                .hasMessageContaining("namespace");
    }
}
