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
    void serializersCompatibleAfterMigrationTakeOverAndTheirDataSurvivesTheNextSnapshots() throws Exception {
        ValueStateDescriptor<Long> first = new ValueStateDescriptor<>("encoded", new EncodedLongSerializer(1));
        ListStateDescriptor<Long> firstList = new ListStateDescriptor<>("encoded-list", new EncodedLongSerializer(1));
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        for (int i = 0; i < 50; i++) {
            backend.setCurrentKey("k" + i);
            backend.getState(first).update((long) i);
            backend.getState(firstList).add((long) i);
        }
        ValueStateDescriptor<Long> second = new ValueStateDescriptor<>("encoded", new EncodedLongSerializer(7));
        ListStateDescriptor<Long> secondList = new ListStateDescriptor<>("encoded-list", new EncodedLongSerializer(7));
        CheckpointableKeyedStateBackend<String> migrated = restoreBackend(handles(snapshot(backend)));
        for (int i = 0; i < 50; i++) {
            migrated.setCurrentKey("k" + i);
            assertThat(migrated.getState(second).value()).isEqualTo(i);
            migrated.getState(secondList).add(-1L);
        }
        migrated.setCurrentKey("k0");
        migrated.getState(second).update(100L);
        for (int round = 0; round < 2; round++) {
            migrated = restoreBackend(handles(snapshot(migrated)));
            for (int i = 0; i < 50; i++) {
                migrated.setCurrentKey("k" + i);
                assertThat(migrated.getState(second).value()).isEqualTo(i == 0 ? 100L : i);
                assertThat(migrated.getState(secondList).get()).containsExactly((long) i, -1L);
            }
        }
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
