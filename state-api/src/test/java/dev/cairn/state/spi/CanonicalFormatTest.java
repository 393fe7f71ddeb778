package dev.cairn.state.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.support.CanonicalSnapshotReader;
import dev.cairn.state.support.CanonicalSnapshotWriter;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.StateMetaInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical format's framing: round trip, sub-range reads, and detection of every kind of damage. */
class CanonicalFormatTest {
    private static final KeyGroupRange RANGE = KeyGroupRange.of(4, 7);

    private static KeyGroupsStateHandle write(int entriesPerKeyGroup) throws IOException {
        StateMetaInfo meta =
                StateMetaInfo.of(new ValueStateDescriptor<>("v", Serializers.STRING), Serializers.VOID_NAMESPACE);
        try (CanonicalSnapshotWriter writer = new CanonicalSnapshotWriter(
                new MemoryCheckpointStreamFactory().createOutputStream(StateScope.EXCLUSIVE),
                RANGE,
                Serializers.LONG,
                128,
                List.of(meta))) {
            for (int keyGroup : RANGE) {
                writer.startKeyGroup(keyGroup);
                for (int i = 0; i < entriesPerKeyGroup; i++) {
                    writer.startRecord(0);
                    writer.writeSerialized(Serializers.LONG, (long) keyGroup * 1000 + i);
                    writer.writeBytes(new byte[0], 0, 0);
                    writer.writeSerialized(Serializers.STRING, "value-" + keyGroup + "-" + i);
                }
                writer.endKeyGroup();
            }
            return writer.finish();
        }
    }

    private static List<String> read(KeyGroupsStateHandle handle, KeyGroupRange range) throws IOException {
        List<String> values = new ArrayList<>();
        try (CanonicalSnapshotReader reader =
                CanonicalSnapshotReader.open(handle, CanonicalFormatTest.class.getClassLoader())) {
            assertThat(reader.getStates()).singleElement().satisfies(s -> {
                assertThat(s.getName()).isEqualTo("v");
                assertThat(s.getKind()).isEqualTo(StateKind.VALUE);
            });
            assertThat(reader.getNumberOfKeyGroups()).isEqualTo(128);
            for (int keyGroup : range) {
                reader.seekKeyGroup(keyGroup);
                for (int index = reader.nextRecord(); index >= 0; index = reader.nextRecord()) {
                    long key = reader.readSerialized(Serializers.LONG);
                    reader.readBytes();
                    values.add(key + "=" + reader.readSerialized(Serializers.STRING));
                }
            }
        }
        return values;
    }

    @Test
    void roundTripAndSubRange() throws IOException {
        KeyGroupsStateHandle handle = write(10_000);
        assertThat(read(handle, RANGE)).hasSize(40_000).startsWith("4000=value-4-0");
        KeyGroupsStateHandle clipped = (KeyGroupsStateHandle) handle.getIntersection(KeyGroupRange.of(6, 100));
        assertThat(clipped.getKeyGroupRange()).isEqualTo(KeyGroupRange.of(6, 7));
        assertThat(read(clipped, clipped.getKeyGroupRange())).hasSize(20_000).startsWith("6000=value-6-0");
        assertThat(handle.getIntersection(KeyGroupRange.of(0, 3))).isNull();
    }

    private static KeyGroupsStateHandle withBytes(KeyGroupsStateHandle original, byte[] bytes) {
        return new KeyGroupsStateHandle(original.getOffsets(), new ByteStreamStateHandle("damaged-file", bytes));
    }

    @Test
    void everySingleBitFlipInTheHeaderOrDataIsDetected() throws IOException {
        KeyGroupsStateHandle handle = write(3);
        byte[] original = ((ByteStreamStateHandle) handle.getStream()).getData();
        for (int position = 0; position < original.length; position += 7) {
            byte[] damaged = original.clone();
            damaged[position] ^= 0x10;
            KeyGroupsStateHandle bad = withBytes(handle, damaged);
            assertThatThrownBy(() -> read(bad, RANGE))
                    .as("flip at byte %d", position)
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining("damaged-file");
        }
    }

    @Test
    void checksumErrorsNameExpectedAndActualValues() throws IOException {
        KeyGroupsStateHandle handle = write(3);
        byte[] damaged = ((ByteStreamStateHandle) handle.getStream()).getData().clone();
        damaged[damaged.length - 10] ^= 0x01;
        assertThatThrownBy(() -> read(withBytes(handle, damaged), RANGE))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageMatching("(?s).*expected CRC32C [0-9a-f]{8}, computed [0-9a-f]{8}.*");
    }

    @Test
    void truncationIsDetected() throws IOException {
        KeyGroupsStateHandle handle = write(100);
        byte[] original = ((ByteStreamStateHandle) handle.getStream()).getData();
        for (int length : new int[] {0, 5, 12, 40, original.length / 2, original.length - 1}) {
            byte[] truncated = java.util.Arrays.copyOf(original, length);
            assertThatThrownBy(() -> read(withBytes(handle, truncated), RANGE))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining("damaged-file");
        }
    }

    @Test
    void notACairnSnapshot() {
        KeyGroupsStateHandle handle = new KeyGroupsStateHandle(
                new KeyGroupRangeOffsets(KeyGroupRange.of(0, 0), new long[] {0}),
                new ByteStreamStateHandle("random.bin", "PK\u0003\u0004 some zip file".getBytes()));
        assertThatThrownBy(() -> read(handle, KeyGroupRange.of(0, 0)))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("random.bin")
                .hasMessageContaining("not a Cairn");
    }

    @Test
    void writerInsistsOnEveryKeyGroupInOrder() throws IOException {
        StateMetaInfo meta =
                StateMetaInfo.of(new ValueStateDescriptor<>("v", Serializers.STRING), Serializers.VOID_NAMESPACE);
        try (CanonicalSnapshotWriter writer = new CanonicalSnapshotWriter(
                new MemoryCheckpointStreamFactory().createOutputStream(StateScope.EXCLUSIVE),
                RANGE,
                Serializers.LONG,
                128,
                List.of(meta))) {
            assertThatThrownBy(() -> writer.startKeyGroup(5)).isInstanceOf(IllegalStateException.class);
            writer.startKeyGroup(4);
            writer.endKeyGroup();
            assertThatThrownBy(writer::finish)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("5");
        }
    }
}
