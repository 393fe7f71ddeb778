package dev.cairn.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Test
    void servicesAreBoundAcrossModules() throws Exception {
        // state.backend.type and the native checkpoint's handle codec are found through the modules' provides/uses.
        Map<String, String> rocksdb = Map.of("state.backend.type", "rocksdb", "state.backend.incremental", "true");
        try (WordCounts job = new WordCounts(checkpoints, "words-rocksdb", rocksdb)) {
            assertThat(job.backendName()).isEqualTo("rocksdb");
            job.count(List.of("a", "b", "a"));
            job.checkpoint();
        }
        try (WordCounts job = new WordCounts(checkpoints, "words-rocksdb", rocksdb)) {
            assertThat(job.countOf("a")).isEqualTo(2);
        }
    }

    @Test
    void onlyTheApiAndSpiPackagesAreExported() {
        Module api = module("dev.cairn.state.api");
        assertThat(api.isExported("dev.cairn.state")).isTrue();
        assertThat(api.isExported("dev.cairn.state.spi")).isTrue();
        assertThat(api.isExported("dev.cairn.state.support"))
                .as("documented shared implementation")
                .isTrue();
        assertThat(api.isExported("dev.cairn.state.internal.ttl")).isFalse();
        assertThat(api.isExported("dev.cairn.state.internal.serializers")).isFalse();
        Module checkpoint = module("dev.cairn.checkpoint");
        assertThat(checkpoint.isExported("dev.cairn.checkpoint.fs")).isTrue();
        assertThat(checkpoint.isExported("dev.cairn.checkpoint.internal")).isFalse();
        assertThat(module("dev.cairn.state.heap").isExported("dev.cairn.state.heap.internal"))
                .isFalse();
        assertThat(module("dev.cairn.state.rocksdb").isExported("dev.cairn.state.rocksdb.internal"))
                .isFalse();
        assertThat(module("dev.cairn.changelog").isExported("dev.cairn.changelog.internal"))
                .isFalse();
        assertThat(module("dev.cairn.config").getDescriptor().isAutomatic()).isFalse();
    }

    private static Module module(String name) {
        return ModuleLayer.boot()
                .findModule(name)
                .orElseThrow(() -> new AssertionError(name + " is not on the module path"));
    }
}
