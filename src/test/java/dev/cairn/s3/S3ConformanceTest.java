package dev.cairn.s3;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.StateChangelogStorage;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.ChangelogFixtures;
import dev.cairn.conformance.StateBackendConformanceSuite;
import dev.cairn.conformance.StorageFixtures;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.StateBackend;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;

/**
 * The conformance suite with every snapshot written to and read back from S3 (S3Proxy): the heap backend (full and
 * incremental checkpoints), RocksDB
 * with full and incremental native checkpoints, and the changelog backend with its changelog on S3 too.
 */
class S3ConformanceTest {

    @Nested
    class Heap extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.s3(HashMapStateBackend::new);
        }
    }

    @Nested
    class HeapIncremental extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.s3(() -> new HashMapStateBackend(true).withChainLimits(2, 100));
        }
    }

    @Nested
    class RocksDBFull extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.s3(EmbeddedRocksDBStateBackend::new);
        }
    }

    @Nested
    class RocksDBIncremental extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.s3(() -> new EmbeddedRocksDBStateBackend(true));
        }
    }

    @Nested
    class HeapWithChangelog extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.s3(changelog(HashMapStateBackend::new));
        }
    }

    @Nested
    class RocksDBWithChangelog extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.s3(changelog(() -> new EmbeddedRocksDBStateBackend(true)));
        }
    }

    /** Shared by the changelog tests of this JVM (its upload threads live as long as the JVM). */
    private static StateChangelogStorage s3Changelog;

    private static synchronized Supplier<StateBackend> changelog(Supplier<StateBackend> inner) {
        if (s3Changelog == null) {
            s3Changelog = ChangelogFixtures.fileSystemStorage(
                    S3TestServer.fileSystems(),
                    StoragePath.of("s3://" + S3TestServer.sharedBucket() + "/changelog/" + UUID.randomUUID()));
        }
        StateChangelogStorage storage = s3Changelog;
        return () -> new ChangelogStateBackend(
                inner.get(), storage, new ChangelogStateBackend.Settings(true, Duration.ofMillis(1), 3, 512));
    }
}
