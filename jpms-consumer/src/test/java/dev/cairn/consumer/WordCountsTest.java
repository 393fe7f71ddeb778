package dev.cairn.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs on the module path: Cairn's modules resolve by name, find their services and checkpoint and restore. */
class WordCountsTest {
    @TempDir
    Path checkpoints;

    @Test
    void countsSurviveARestartOnTheModulePath() throws Exception {
        assertThat(WordCounts.class.getModule().isNamed())
                .as("the test runs in the named module dev.cairn.consumer")
                .isTrue();
        assertThat(dev.cairn.config.StateEnvironment.class.getModule().getName())
                .isEqualTo("dev.cairn.config");
        try (WordCounts job = new WordCounts(checkpoints, "words")) {
            job.count(List.of("to", "be", "or", "not", "to", "be"));
            job.checkpoint();
        }
        try (WordCounts job = new WordCounts(checkpoints, "words")) {
            assertThat(job.countOf("to")).isEqualTo(2);
            assertThat(job.countOf("or")).isEqualTo(1);
            assertThat(job.countOf("never")).isZero();
        }
    }
}
