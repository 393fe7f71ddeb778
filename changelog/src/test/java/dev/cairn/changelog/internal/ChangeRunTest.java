package dev.cairn.changelog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The order a run applies its changes in — RocksDB's key order, stable, against a plain comparison sort, within one
 * segment and across several — with each change's state, op, segment and bytes moved along.
 */
class ChangeRunTest {
    private static final List<String> TARGETS = List.of("a", "b", "c");

    private record Change(int segment, int target, int keyGroup, int offset, int length, byte op) {}

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 63, 64, 65, 1000, 20_000})
    void keyOrderIsStateKeyGroupThenBytesAndKeepsTheRecordedOrderOfEqualEntries(int size) {
        checkKeyOrder(new ChangeRun<>(true), new Random(size), size, 1, 300, 6);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 5_000})
    void changesSharingTheirFirstEightBytesAreOrderedByTheRest(int size) {
        // One key group, the first eight bytes mostly equal: runs of ties from a few changes to hundreds.
        checkKeyOrder(new ChangeRun<>(true), new Random(size), size, 1, 1, 8);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 7})
    void changesOfSeveralSegmentsSortTogetherAndKeepTheirSegmentsOrderForEqualEntries(int segments) {
        checkKeyOrder(new ChangeRun<>(true), new Random(segments), 10_000, segments, 50, 6);
    }

    @Test
    void aRunReusedForManySegmentsSortsEachOfThem() {
        ChangeRun<String> run = new ChangeRun<>(true);
        Random random = new Random(7);
        // One run after another, as a replay does: larger, smaller and larger again than the arrays grown before.
        for (int size : new int[] {5_000, 100, 70, 20_000, 3_000, 40_000}) {
            checkKeyOrder(run, random, size, 1 + random.nextInt(3), 300, 6);
            run.clear();
            run.forgetSegments();
            assertThat(run.heldFileBytes()).isZero();
        }
    }

    @Test
    void segmentsCannotBeForgottenWhileTheirChangesAreHeld() {
        ChangeRun<String> run = new ChangeRun<>(true);
        run.useTargets(TARGETS);
        run.addSegment(new byte[4], "segment");
        run.add(0, 0, ChangeFormat.SET, 0, 4);
        assertThatThrownBy(run::forgetSegments).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Adds {@code size} random changes, spread in recorded order over {@code segmentCount} segments (each with its
     * own file), over {@code keyGroups} key groups, whose first {@code sharedBytes} bytes are 1 half of the time;
     * sorts and checks against a comparison sort.
     */
    private static void checkKeyOrder(
            ChangeRun<String> run, Random random, int size, int segmentCount, int keyGroups, int sharedBytes) {
        List<ByteArrayOutputStream> outs = new ArrayList<>();
        for (int s = 0; s < segmentCount; s++) {
            outs.add(new ByteArrayOutputStream());
        }
        List<Change> changes = new ArrayList<>();
        // Few distinct byte values, lengths from 0 to 20: long shared prefixes, prefixes of each other, bytes above
        // 127 (unsigned order), equal entries.
        byte[] alphabet = {0, 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF};
        for (int i = 0; i < size; i++) {
            byte[] fields = new byte[random.nextInt(21)];
            for (int b = 0; b < fields.length; b++) {
                fields[b] = b < sharedBytes && random.nextBoolean() ? 1 : alphabet[random.nextInt(alphabet.length)];
            }
            int segment = (int) ((long) i * segmentCount / size);
            ByteArrayOutputStream out = outs.get(segment);
            out.write(0); // a byte between changes: every change starts at its own offset, which identifies it
            changes.add(new Change(
                    segment,
                    random.nextInt(TARGETS.size()),
                    random.nextInt(keyGroups),
                    out.size(),
                    fields.length,
                    (byte) random.nextInt(128)));
            out.writeBytes(fields);
        }
        byte[][] files = outs.stream().map(ByteArrayOutputStream::toByteArray).toArray(byte[][]::new);
        run.useTargets(TARGETS);
        int added = -1;
        for (Change change : changes) {
            while (added < change.segment()) {
                added++;
                run.addSegment(files[added], "segment " + added);
            }
            run.add(change.target(), change.keyGroup(), change.op(), change.offset(), change.length());
        }
        assertThat(run.heldFileBytes())
                .isEqualTo(Arrays.stream(files, 0, added + 1)
                        .mapToLong(f -> f.length)
                        .sum());
        Comparator<Change> keyOrder = Comparator.<Change>comparingInt(Change::target)
                .thenComparingInt(Change::keyGroup)
                .thenComparing((a, b) -> Arrays.compareUnsigned(
                        files[a.segment()],
                        a.offset(),
                        a.offset() + a.length(),
                        files[b.segment()],
                        b.offset(),
                        b.offset() + b.length()));
        List<Change> expected = new ArrayList<>(changes);
        expected.sort(keyOrder); // List.sort is stable
        run.sort();
        for (int i = 0; i < size; i++) {
            Change change = expected.get(i);
            assertThat(run.file(i)).isSameAs(files[change.segment()]);
            assertThat(run.source(i)).isEqualTo("segment " + change.segment());
            assertThat(run.fields(i)).isEqualTo(change.offset());
            assertThat(run.target(i)).isEqualTo(TARGETS.get(change.target()));
            assertThat(run.op(i)).isEqualTo(change.op());
        }
        for (int i = 0; i + 1 < size; i++) {
            boolean equalEntries = keyOrder.compare(expected.get(i), expected.get(i + 1)) == 0;
            assertThat(run.sameEntry(i, i + 1)).isEqualTo(equalEntries);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 5000})
    void withoutKeyOrderTheRecordedOrderStays(int size) {
        ChangeRun<String> run = new ChangeRun<>(false);
        byte[] file = new byte[size];
        new Random(1).nextBytes(file);
        run.useTargets(List.of("a"));
        run.addSegment(file, "test");
        for (int i = 0; i < size; i++) {
            run.add(0, size - i, i % 2 == 0 ? ChangeFormat.SET : ChangeFormat.CLEAR, i, 1);
        }
        run.sort();
        assertThat(IntStream.range(0, size).map(run::fields).toArray())
                .containsExactly(IntStream.range(0, size).toArray());
        for (int i = 0; i < size; i++) {
            assertThat(run.op(i)).isEqualTo(i % 2 == 0 ? ChangeFormat.SET : ChangeFormat.CLEAR);
        }
    }
}
