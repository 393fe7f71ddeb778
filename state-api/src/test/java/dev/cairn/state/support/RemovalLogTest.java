package dev.cairn.state.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.Serializers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The removal log behind incremental heap snapshots: views stay exact while the task appends and prunes. */
class RemovalLogTest {

    private static List<String> read(RemovalLog.View<String, Long> view, long from) throws Exception {
        List<String> removed = new ArrayList<>();
        view.forEachFrom(from, (key, namespace) -> removed.add(key + "@" + namespace));
        return removed;
    }

    @Test
    void aViewHoldsExactlyTheRemovalsBeforeItWasTakenWhileTheLogGoesOn() throws Exception {
        RemovalLog<String, Long> log = new RemovalLog<>();
        for (int i = 0; i < 600; i++) {
            log.add("k" + i, (long) i);
        }
        RemovalLog.View<String, Long> view = log.view();
        for (int i = 600; i < 1200; i++) {
            log.add("k" + i, (long) i);
        }
        log.pruneBefore(1000); // drops whole chunks a later snapshot no longer needs

        assertThat(read(view, 598)).containsExactly("k598@598", "k599@599");
        assertThat(read(view, 0)).hasSize(600).startsWith("k0@0");
        assertThat(read(log.view(), 1000)).hasSize(200).startsWith("k1000@1000");
        assertThatThrownBy(() -> read(log.view(), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pruned");
    }

    @Test
    void mapsRecordRemovalsOnlyOnceAnIncrementalSnapshotStarted() throws Exception {
        SnapshotVersions versions = new SnapshotVersions();
        CopyOnWriteStateMap<String, Long, Long> map = new CopyOnWriteStateMap<>(versions, () -> Serializers.LONG);
        map.put("a", 0L, 1L);
        map.remove("a", 0L);
        assertThat(map.removals().end())
                .as("no incremental snapshot yet: nothing kept")
                .isZero();

        versions.trackChanges();
        versions.release(versions.startSnapshot());
        map.put("b", 0L, 1L);
        map.remove("b", 0L);
        map.remove("never-there", 0L);
        assertThat(read(map.removals(), 0)).containsExactly("b@0");
        assertThat(map.changeVersion()).isEqualTo(versions.current());
    }
}
