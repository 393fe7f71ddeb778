package dev.cairn.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.config.StateEnvironment;
import dev.cairn.state.Configuration;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * Two applications in one JVM, each with its own S3 store — another endpoint, other credentials, key entropy on one
 * only — run side by side: each reads and writes only its own bucket with its own settings. (With process-wide file
 * system settings the environment started last would have redirected the other's uploads.)
 */
class S3TwoEnvironmentsTest {
    private static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Serializers.LONG);
    private static final String OTHER_ACCESS_KEY = "other-access-key";
    private static final String OTHER_SECRET_KEY = "other-secret-key-of-the-second-store";

    @TempDir
    Path temporary;

    @Test
    void twoEnvironmentsWithDifferentS3SettingsEachUseOnlyTheirOwnStore() throws Exception {
        try (PrivateS3Proxy otherServer =
                new PrivateS3Proxy(temporary.resolve("other-s3"), OTHER_ACCESS_KEY, OTHER_SECRET_KEY)) {
            S3Client shared = S3TestServer.client();
            S3Client other = S3TestServer.client(otherServer.endpoint(), OTHER_ACCESS_KEY, OTHER_SECRET_KEY);
            String bucketA = S3TestServer.createBucket();
            String bucketB =
                    "cairn-b-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
            other.createBucket(b -> b.bucket(bucketB));

            Configuration a = S3TestServer.configuration()
                    .setString("s3.entropy.key", "_entropy_")
                    .setString("s3.entropy.length", "4")
                    .setString("execution.checkpointing.dir", "s3://" + bucketA + "/_entropy_/jobs")
                    .setString("execution.checkpointing.data-inline-threshold", "0b")
                    .setString("pipeline.name", "job-a");
            Configuration b = S3TestServer.configuration(otherServer.endpoint(), OTHER_ACCESS_KEY, OTHER_SECRET_KEY)
                    .setString("execution.checkpointing.dir", "s3://" + bucketB + "/jobs")
                    .setString("execution.checkpointing.data-inline-threshold", "0b")
                    .setString("pipeline.name", "job-b");

            // Both started before either writes: each must keep its own settings while the other runs.
            try (StateEnvironment environmentA = StateEnvironment.create(a);
                    StateEnvironment environmentB = StateEnvironment.create(b)) {
                KeyedStateStore<String> countsA = environmentA.keyedBackend("counts", Serializers.STRING);
                KeyedStateStore<String> countsB = environmentB.keyedBackend("counts", Serializers.STRING);
                count(countsA, List.of("x", "x", "y"));
                count(countsB, List.of("z"));
                environmentA.triggerCheckpoint().get();
                environmentB.triggerCheckpoint().get();
                count(countsA, List.of("x"));
                environmentA.triggerCheckpoint().get();
            }

            List<String> keysA = keys(shared, bucketA);
            List<String> keysB = keys(other, bucketB);
            assertThat(keysA).as("job a's metadata, in its bucket").contains("jobs/job-a/chk-2/_metadata");
            assertThat(keysA.stream().filter(key -> !key.startsWith("jobs/")))
                    .as("job a's data files under a 4-hex entropy prefix")
                    .isNotEmpty()
                    .allMatch(key -> key.matches("[0-9a-f]{4}/jobs/job-a/.*"));
            assertThat(keysA).noneMatch(key -> key.contains("job-b"));
            assertThat(keysB).as("job b's metadata, in the other store").contains("jobs/job-b/chk-1/_metadata");
            assertThat(keysB)
                    .as("no entropy for job b, and nothing of job a")
                    .allMatch(key -> key.startsWith("jobs/job-b/"));
            assertThat(shared.listBuckets().buckets()).extracting(Bucket::name).doesNotContain(bucketB);
            assertThat(other.listBuckets().buckets()).extracting(Bucket::name).containsExactly(bucketB);

            try (StateEnvironment environmentA = StateEnvironment.create(a);
                    StateEnvironment environmentB = StateEnvironment.create(b)) {
                KeyedStateStore<String> countsA = environmentA.keyedBackend("counts", Serializers.STRING);
                KeyedStateStore<String> countsB = environmentB.keyedBackend("counts", Serializers.STRING);
                assertThat(valueOf(countsA, "x")).isEqualTo(3L);
                assertThat(valueOf(countsA, "z")).isNull();
                assertThat(valueOf(countsB, "z")).isEqualTo(1L);
                assertThat(valueOf(countsB, "x")).isNull();
            }
            other.close();
        }
    }

    private static void count(KeyedStateStore<String> store, List<String> words) {
        ValueState<Long> count = store.getState(COUNT);
        for (String word : words) {
            store.setCurrentKey(word);
            count.update(count.value() == null ? 1 : count.value() + 1);
        }
    }

    private static Long valueOf(KeyedStateStore<String> store, String word) {
        store.setCurrentKey(word);
        return store.getState(COUNT).value();
    }

    private static List<String> keys(S3Client client, String bucket) {
        return client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                .map(object -> object.key())
                .toList();
    }
}
