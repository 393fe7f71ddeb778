package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.checkpoint.CheckpointHistory.Entry;
import dev.cairn.checkpoint.CheckpointHistory.MinAvgMax;
import dev.cairn.checkpoint.CheckpointHistory.Status;
import dev.cairn.state.CheckpointException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The checkpoint history: a window of recent checkpoints with their figures, summaries and JSON. */
class CheckpointHistoryTest {
    private Instant now = Instant.parse("2026-12-06T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private void advance(long millis) {
        now = now.plus(Duration.ofMillis(millis));
    }

    private static CheckpointStats stats(long id, long duration, long pause, long size, long written) {
        return new CheckpointStats(id, false, duration, pause, size, written, 3, "file:/chk-" + id);
    }

    @Test
    void keepsTheLastCheckpointsNewestFirstWithTheirFigures() {
        CheckpointHistory history = new CheckpointHistory(3, clock);
        for (long id = 1; id <= 4; id++) {
            history.checkpointStarted(id, false, 2);
            advance(100 * id);
            history.checkpointCompleted(stats(id, 100 * id, 10 * id, 1000 * id, 100 * id));
        }
        history.checkpointStarted(5, true, 2);
        advance(40);
        history.checkpointFailed(5, CheckpointException.Reason.STORAGE_FAILURE, "No space left on device");
        history.checkpointStarted(6, false, 2);
        advance(25);

        assertThat(history.entries()).extracting(Entry::checkpointId).containsExactly(6L, 5L, 4L);
        Entry running = history.entries().get(0);
        assertThat(running.status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(running.durationMillis()).as("so far").isEqualTo(25);
        Entry failed = history.entries().get(1);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.savepoint()).isTrue();
        assertThat(failed.durationMillis()).isEqualTo(40);
        assertThat(failed.failureCause()).isEqualTo("STORAGE_FAILURE: No space left on device");
        Entry done = history.entries().get(2);
        assertThat(done)
                .isEqualTo(new Entry(
                        4,
                        false,
                        Instant.parse("2026-12-06T10:00:00.600Z"),
                        Status.COMPLETED,
                        400,
                        40,
                        4000,
                        400,
                        null));

        CheckpointHistory.Summary summary = history.summary();
        assertThat(summary.completed()).as("since the start, beyond the window").isEqualTo(4);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.inProgress()).isEqualTo(1);
        assertThat(summary.durationMillis()).isEqualTo(new MinAvgMax(400, 400, 400));
    }

    @Test
    void summariesCoverTheCompletedCheckpointsInTheWindow() {
        CheckpointHistory history = new CheckpointHistory(10, clock);
        long[] durations = {30, 10, 20};
        for (int i = 0; i < durations.length; i++) {
            history.checkpointStarted(i + 1, false, 1);
            history.checkpointCompleted(stats(i + 1, durations[i], 5 + i, 100, 10 * (i + 1)));
        }
        CheckpointHistory.Summary summary = history.summary();
        assertThat(summary.durationMillis()).isEqualTo(new MinAvgMax(10, 20, 30));
        assertThat(summary.syncPauseMicros()).isEqualTo(new MinAvgMax(5, 6, 7));
        assertThat(summary.checkpointedSize()).isEqualTo(new MinAvgMax(10, 20, 30));
        assertThat(new CheckpointHistory(2, clock).summary().stateSize()).isEqualTo(new MinAvgMax(0, 0, 0));
    }

    @Test
    void aRunningCheckpointStaysVisibleWhileLaterOnesFinish() {
        CheckpointHistory history = new CheckpointHistory(2, clock);
        history.checkpointStarted(1, false, 1);
        for (long id = 2; id <= 4; id++) {
            history.checkpointStarted(id, false, 1);
            history.checkpointCompleted(stats(id, 5, 1, 10, 10));
        }
        assertThat(history.entries())
                .extracting(Entry::checkpointId, Entry::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(4L, Status.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple(1L, Status.IN_PROGRESS));
    }

    @Test
    void theJsonHoldsTheSummaryAndEveryEntry() throws Exception {
        CheckpointHistory history = new CheckpointHistory(5, clock);
        history.checkpointStarted(1, false, 1);
        advance(12);
        history.checkpointCompleted(stats(1, 12, 3, 2048, 512));
        history.checkpointStarted(2, false, 1);
        history.checkpointFailed(2, CheckpointException.Reason.ABORTED, "took too long");

        JsonNode json = new ObjectMapper().readTree(history.toJson());

        assertThat(json.at("/summary/completed").asLong()).isEqualTo(1);
        assertThat(json.at("/summary/failed").asLong()).isEqualTo(1);
        assertThat(json.at("/summary/stateSize/max").asLong()).isEqualTo(2048);
        assertThat(json.at("/checkpoints/0/id").asLong()).isEqualTo(2);
        assertThat(json.at("/checkpoints/0/status").asText()).isEqualTo("FAILED");
        assertThat(json.at("/checkpoints/0/failureCause").asText()).isEqualTo("ABORTED: took too long");
        assertThat(json.at("/checkpoints/1/triggerTime").asText()).isEqualTo("2026-12-06T10:00:00Z");
        assertThat(json.at("/checkpoints/1/checkpointedSize").asLong()).isEqualTo(512);
        assertThat(json.at("/checkpoints/1").has("failureCause")).isFalse();
    }

    @Test
    void aWindowNeedsRoomForOneCheckpoint() {
        assertThatThrownBy(() -> new CheckpointHistory(0, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
