package dev.cairn.changelog.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The order a run applies its changes in — RocksDB's key order, stable, against a plain comparison sort — with each
 * change's state, op and bytes moved along.
 */
class ChangeRunTest {
    private record Change(int target, int keyGroup, int offset, int length, byte op) {}

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 63, 64, 65, 1000, 20_000})
    void keyOrderIsStateKeyGroupThenBytesAndKeepsTheRecordedOrderOfEqualEntries(int size) {
        checkKeyOrder(new ChangeRun<>(true), new Random(size), size, 300, 6);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 5_000})
    void changesSharingTheirFirstEightBytesAreOrderedByTheRest(int size) {
        // One key group, the first eight bytes mostly equal: runs of ties from a few changes to hundreds.
        checkKeyOrder(new ChangeRun<>(true), new Random(size), size, 1, 8);
    }

    @Test
    void aRunReusedForManySegmentsSortsEachOfThem() {
        ChangeRun<String> run = new ChangeRun<>(true);
        Random random = new Random(7);
        // One run per segment, as a replay does: larger, smaller and larger again than the arrays grown before.
        for (int size : new int[] {5_000, 100, 70, 20_000, 3_000, 40_000}) {
            checkKeyOrder(run, random, size, 300, 6);
        }
    }

    /**
     * Adds {@code size} random changes over {@code keyGroups} key groups whose first {@code sharedBytes} bytes are
     * 1 half of the time, sorts and checks against a comparison sort.
     */
    private static void checkKeyOrder(ChangeRun<String> run, Random random, int size, int keyGroups, int sharedBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Change> changes = new ArrayList<>();
        // Few distinct byte values, lengths from 0 to 20: long shared prefixes, prefixes of each other, bytes above
        // 127 (unsigned order), equal entries.
        byte[] alphabet = {0, 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF};
        for (int i = 0; i < size; i++) {
            byte[] fields = new byte[random.nextInt(21)];
            for (int b = 0; b < fields.length; b++) {
                fields[b] = b < sharedBytes && random.nextBoolean() ? 1 : alphabet[random.nextInt(alphabet.length)];
            }
            out.write(0); // a byte between changes: every change starts at its own offset, which identifies it
            changes.add(new Change(random.nextInt(3), random.nextInt(keyGroups), out.size(), fields.length, (byte)
                    random.nextInt(128)));
            out.writeBytes(fields);
        }
        byte[] file = out.toByteArray();
        run.start(file, List.of("a", "b", "c"), "test");
        for (Change change : changes) {
            run.add(change.target(), change.keyGroup(), change.op(), change.offset(), change.length());
        }
        List<Integer> expected = IntStream.range(0, size).boxed().toList();
        expected = new ArrayList<>(expected);
        expected.sort(Comparator.<Integer>comparingInt(i -> changes.get(i).target())
                .thenComparingInt(i -> changes.get(i).keyGroup())
                .thenComparing((a, b) -> Arrays.compareUnsigned(
                        file,
                        changes.get(a).offset(),
                        changes.get(a).offset() + changes.get(a).length(),
                        file,
                        changes.get(b).offset(),
                        changes.get(b).offset() + changes.get(b).length()))); // List.sort is stable
        run.sort();
        assertThat(IntStream.range(0, size).map(run::fields).toArray())
                .containsExactly(
                        expected.stream().mapToInt(i -> changes.get(i).offset()).toArray());
        for (int i = 0; i < size; i++) {
            Change change = changes.get(expected.get(i));
            assertThat(run.target(i)).isEqualTo(List.of("a", "b", "c").get(change.target()));
            assertThat(run.op(i)).isEqualTo(change.op());
        }
        for (int i = 0; i + 1 < size; i++) {
            Change a = changes.get(expected.get(i));
            Change b = changes.get(expected.get(i + 1));
            boolean equalEntries = a.target() == b.target()
                    && a.keyGroup() == b.keyGroup()
                    && Arrays.equals(
                            file, a.offset(), a.offset() + a.length(), file, b.offset(), b.offset() + b.length());
            assertThat(run.sameEntry(i, i + 1)).isEqualTo(equalEntries);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 5000})
    void withoutKeyOrderTheRecordedOrderStays(int size) {
        ChangeRun<String> run = new ChangeRun<>(false);
        byte[] file = new byte[size];
        new Random(1).nextBytes(file);
        run.start(file, List.of("a"), "test");
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
