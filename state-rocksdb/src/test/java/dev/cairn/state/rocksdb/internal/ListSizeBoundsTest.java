package dev.cairn.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ListSizeBoundsTest {
    private static byte[] key(int i) {
        return ("list-key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void boundsSurviveGrowthAndAreForgottenWhenTheTableIsFull() {
        ListSizeBounds bounds = new ListSizeBounds(5_000, false);
        for (int i = 0; i < 5_000; i++) {
            bounds.set(bounds.hash(key(i)), i * 10L);
        }
        for (int i = 0; i < 5_000; i++) {
            assertThat(bounds.get(bounds.hash(key(i)))).as("list %d", i).isEqualTo(i * 10L);
        }
        assertThat(bounds.get(bounds.hash(key(5_000)))).as("never written").isEqualTo(-1);
        bounds.set(bounds.hash(key(5_000)), 7); // one too many: everything else is forgotten
        assertThat(bounds.size()).isEqualTo(1);
        assertThat(bounds.get(bounds.hash(key(1)))).isEqualTo(-1);
        assertThat(bounds.get(bounds.hash(key(5_000)))).isEqualTo(7);
    }

    @Test
    void forAStateThatStartedEmptyForgottenListsAreBoundedByTheLargestBoundForgotten() {
        ListSizeBounds bounds = new ListSizeBounds(100, true);
        assertThat(bounds.get(bounds.hash(key(0)))).as("a new list is empty").isZero();
        bounds.set(bounds.hash(key(0)), 900);
        for (int i = 1; i < 100; i++) {
            bounds.set(bounds.hash(key(i)), 5);
        }
        bounds.set(bounds.hash(key(100)), 1); // one too many: the table is emptied
        assertThat(bounds.size()).isEqualTo(1);
        assertThat(bounds.get(bounds.hash(key(0))))
                .as("forgotten, bounded by the largest bound forgotten")
                .isEqualTo(900);
        assertThat(bounds.get(bounds.hash(key(12345)))).isEqualTo(900);
        assertThat(bounds.get(bounds.hash(key(100)))).isEqualTo(1);
    }

    @Test
    void raiseNeverLowersABound() {
        ListSizeBounds bounds = new ListSizeBounds(10, false);
        long hash = bounds.hash(key(1));
        bounds.raiseTo(hash, 500);
        bounds.raiseTo(hash, 20); // a list sharing the hash may still be 500 bytes long
        assertThat(bounds.get(hash)).isEqualTo(500);
    }
}
