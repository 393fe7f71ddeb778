package dev.cairn.checkpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.CheckpointMetadata;
import dev.cairn.checkpoint.OperatorSnapshot;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.spi.ByteStreamStateHandle;
import dev.cairn.state.spi.HandleMetadataReader;
import dev.cairn.state.spi.HandleMetadataWriter;
import dev.cairn.state.spi.KeyGroupRangeOffsets;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.KeyedStateHandleCodec;
import dev.cairn.state.spi.SnapshotOptions.SnapshotType;
import dev.cairn.state.spi.StreamStateHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Backend-specific handles reach {@code _metadata} only through codecs found by {@link java.util.ServiceLoader}: this
 * module knows neither RocksDB's nor the changelog's handles, and a test codec registered in the test resources
 * round-trips through the same path theirs take.
 */
class MetadataJsonCodecTest {
    private static final FileSystemRegistry FILE_SYSTEMS = FileSystemRegistry.withDefaults();
    private static final MetadataJson.Directories DIRECTORIES = new MetadataJson.Directories(
            StoragePath.of("file:///tmp/cairn-codec-test/chk-7"),
            StoragePath.of("file:///tmp/cairn-codec-test/shared"));

    @Test
    void aHandleOfAnotherModuleRoundTripsThroughItsCodec() {
        KeyGroupsStateHandle part = keyGroups(0, 3, "part");
        Bundle bundle = new Bundle(
                KeyGroupRange.of(0, 3),
                "rack-2",
                part,
                List.of(keyGroups(0, 1, "a"), keyGroups(2, 3, "b")),
                List.of(new ByteStreamStateHandle("x", bytes("xx")), new ByteStreamStateHandle("y", bytes("yyy"))));

        CheckpointMetadata read = roundTrip(bundle);

        KeyedStateHandle handle = read.operator("op").keyedState().get(0);
        assertThat(handle).isInstanceOf(Bundle.class);
        Bundle restored = (Bundle) handle;
        assertThat(restored.range()).isEqualTo(KeyGroupRange.of(0, 3));
        assertThat(restored.label()).isEqualTo("rack-2");
        assertThat(restored.main().getKeyGroupRange()).isEqualTo(KeyGroupRange.of(0, 3));
        assertThat(restored.parts())
                .extracting(KeyedStateHandle::getKeyGroupRange)
                .containsExactly(KeyGroupRange.of(0, 1), KeyGroupRange.of(2, 3));
        assertThat(restored.extras())
                .extracting(StreamStateHandle::getStateSize)
                .containsExactly(2L, 3L);
    }

    @Test
    void aTagWhoseModuleIsMissingNamesTheTagAndTheModule() {
        byte[] json = versionOneMetadata("{\"type\": \"native\", \"startKeyGroup\": 0, \"endKeyGroup\": 1}");
        assertThatThrownBy(() -> MetadataJson.read(json, DIRECTORIES, "chk-7/_metadata", FILE_SYSTEMS))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("'native'")
                .hasMessageContaining("chk-7/_metadata")
                .hasMessageContaining("cairn-state-rocksdb");
        byte[] changelog = versionOneMetadata("{\"type\": \"changelog\"}");
        assertThatThrownBy(() -> MetadataJson.read(changelog, DIRECTORIES, "chk-7/_metadata", FILE_SYSTEMS))
                .hasMessageContaining("'changelog'")
                .hasMessageContaining("cairn-changelog");
    }

    @Test
    void anUnknownTagIsAClearErrorListingTheKnownOnes() {
        byte[] json = versionOneMetadata("{\"type\": \"mystery\"}");
        assertThatThrownBy(() -> MetadataJson.read(json, DIRECTORIES, "chk-7/_metadata", FILE_SYSTEMS))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("'mystery'")
                .hasMessageContaining("key-groups")
                .hasMessageContaining("test-bundle");
    }

    @Test
    void aHandleNoCodecWritesIsRefusedNamingItsClass() {
        KeyedStateHandle stranger = new Stranger();
        CheckpointMetadata metadata = new CheckpointMetadata(
                1, 2, SnapshotType.CHECKPOINT, List.of(new OperatorSnapshot("op", List.of(stranger))));
        assertThatThrownBy(() -> MetadataJson.write(metadata, DIRECTORIES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Stranger.class.getName())
                .hasMessageContaining("test-bundle");
    }

    @Test
    void aCodecsOwnChecksFailAsCorruptMetadataNamingTheFile() {
        Bundle bundle = new Bundle(KeyGroupRange.of(0, 3), "", keyGroups(0, 3, "p"), List.of(), List.of());
        assertThatThrownBy(() -> roundTrip(bundle))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("chk-7/_metadata")
                .hasMessageContaining("empty label");
    }

    private static CheckpointMetadata roundTrip(KeyedStateHandle handle) {
        try {
            CheckpointMetadata metadata = new CheckpointMetadata(
                    7, 1234, SnapshotType.CHECKPOINT, List.of(new OperatorSnapshot("op", List.of(handle))));
            return MetadataJson.read(
                    MetadataJson.write(metadata, DIRECTORIES), DIRECTORIES, "chk-7/_metadata", FILE_SYSTEMS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Metadata of version 1 (no checksum) with one operator holding {@code keyedHandle}. */
    private static byte[] versionOneMetadata(String keyedHandle) {
        return ("{\"format\": \"cairn-checkpoint-metadata\", \"version\": 1, \"checkpointId\": 7, \"timestamp\": 1,"
                        + " \"type\": \"CHECKPOINT\", \"operators\": [{\"id\": \"op\", \"keyed\": [" + keyedHandle
                        + "]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A handle shaped like a canonical stream: a 12-byte header, then one byte per key group. */
    private static KeyGroupsStateHandle keyGroups(int start, int end, String name) {
        long[] offsets = new long[end - start + 1];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = 12 + i;
        }
        return new KeyGroupsStateHandle(
                new KeyGroupRangeOffsets(KeyGroupRange.of(start, end), offsets),
                new ByteStreamStateHandle(name, new byte[12 + offsets.length]));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A handle type this module does not know, with every kind of field a codec can write. */
    record Bundle(
            KeyGroupRange range,
            String label,
            KeyGroupsStateHandle main,
            List<KeyedStateHandle> parts,
            List<StreamStateHandle> extras)
            implements KeyedStateHandle {
        @Override
        public KeyGroupRange getKeyGroupRange() {
            return range;
        }

        @Override
        public KeyedStateHandle getIntersection(KeyGroupRange other) {
            return range.intersection(other).getNumberOfKeyGroups() == 0 ? null : this;
        }

        @Override
        public List<StreamStateHandle> getStreams() {
            List<StreamStateHandle> streams = new ArrayList<>(main.getStreams());
            parts.forEach(part -> streams.addAll(part.getStreams()));
            streams.addAll(extras);
            return streams;
        }

        @Override
        public void discardState() {}
    }

    /** The codec of {@link Bundle}, registered in this module's test resources. */
    public static final class BundleCodec implements KeyedStateHandleCodec {
        @Override
        public String typeTag() {
            return "test-bundle";
        }

        @Override
        public Class<? extends KeyedStateHandle> handleType() {
            return Bundle.class;
        }

        @Override
        public void write(KeyedStateHandle handle, HandleMetadataWriter out) {
            Bundle bundle = (Bundle) handle;
            out.putKeyGroupRange(bundle.range());
            out.putKeyGroupHash(false);
            out.putString("label", bundle.label());
            out.putBoolean("flag", true);
            out.putLong("count", bundle.parts().size());
            out.putKeyed("main", bundle.main());
            out.putKeyedList("parts", bundle.parts());
            out.putArray("extras", bundle.extras(), (stream, element) -> element.putStream("stream", stream));
        }

        @Override
        public KeyedStateHandle read(HandleMetadataReader in) {
            String label = in.getString("label");
            if (label.isEmpty()) {
                throw in.corrupt("a bundle has an empty label");
            }
            assertThat(in.getBoolean("flag")).isTrue();
            assertThat(in.legacyKeyGroupHash()).isFalse();
            List<KeyedStateHandle> parts = in.getKeyedList("parts");
            assertThat(in.getLong("count")).isEqualTo(parts.size());
            return new Bundle(
                    in.getKeyGroupRange(),
                    label,
                    (KeyGroupsStateHandle) in.getKeyed("main"),
                    parts,
                    in.getArray("extras", element -> element.getStream("stream")));
        }
    }

    /** A handle type no codec writes. */
    private static final class Stranger implements KeyedStateHandle {
        @Override
        public KeyGroupRange getKeyGroupRange() {
            return KeyGroupRange.of(0, 0);
        }

        @Override
        public KeyedStateHandle getIntersection(KeyGroupRange range) {
            return this;
        }

        @Override
        public List<StreamStateHandle> getStreams() {
            return List.of();
        }

        @Override
        public void discardState() {}
    }
}
