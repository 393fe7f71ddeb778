package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {
    @TempDir
    Path directory;

    @Test
    void startsAndRestarts() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(directory)) {
            broker.createTopic("t", 6);
            broker.restart();
            try (var admin = broker.admin()) {
                assertThat(admin.listTopics().names().get()).contains("t");
            }
        }
    }
}
