package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import java.io.IOException;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * An iterator that stops because it hit damaged data looks exactly like one at the end of its range, unless its
 * status is checked. Every iteration of this backend checks it where it stops (Flink's RocksDB backend does too).
 */
final class RocksIterators {
    private RocksIterators() {}

    /**
     * Checks an iterator that is no longer valid (or about to be abandoned).
     *
     * @throws StateBackendException naming {@code what} when the iterator stopped on an error
     */
    static void checkStatus(RocksIterator iterator, String what) {
        try {
            iterator.status();
        } catch (RocksDBException e) {
            throw new StateBackendException(
                    "Reading " + what + " from RocksDB failed (the data may be damaged): " + e.getMessage(), e);
        }
    }

    /** As {@link #checkStatus}, for snapshot writers: an I/O error, so the snapshot fails and nothing is kept. */
    static void checkStatusForSnapshot(RocksIterator iterator, String what) throws IOException {
        try {
            iterator.status();
        } catch (RocksDBException e) {
            throw new IOException("Reading " + what + " from RocksDB for a snapshot failed: " + e.getMessage(), e);
        }
    }
}
