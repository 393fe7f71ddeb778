package dev.cairn.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A batch built in Java is byte for byte the batch RocksJava builds for the same writes — in the default column
 * family and in others, with ids and lengths that need multi-byte varints — and RocksDB applies it as such.
 */
class SerializedWriteBatchTest {
    @TempDir
    Path directory;

    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private StringAppendOperator mergeOperator;
    private ColumnFamilyOptions columnFamilyOptions;
    private DBOptions dbOptions;
    private RocksDB db;
    private WriteOptions writeOptions;

    @BeforeEach
    void open() throws Exception {
        RocksDBNativeLibrary.ensureLoaded();
        mergeOperator = new StringAppendOperator(',');
        columnFamilyOptions = new ColumnFamilyOptions().setMergeOperator(mergeOperator);
        dbOptions = new DBOptions().setCreateIfMissing(true);
        writeOptions = new WriteOptions().setDisableWAL(true);
        db = RocksDB.open(
                dbOptions,
                directory.toString(),
                List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnFamilyOptions)),
                handles);
        // Ids 1..130: the last ones take two varint bytes.
        for (int i = 1; i <= 130; i++) {
            handles.add(db.createColumnFamily(new ColumnFamilyDescriptor(bytes("cf-" + i), columnFamilyOptions)));
        }
    }

    @AfterEach
    void close() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        writeOptions.close();
        dbOptions.close();
        columnFamilyOptions.close();
        mergeOperator.close();
    }

    @Test
    void theBytesAreRocksJavasBatchForTheSameWrites() throws Exception {
        Random random = new Random(5);
        SerializedWriteBatch serialized = new SerializedWriteBatch(16); // grows many times
        try (WriteBatch reference = new WriteBatch()) {
            for (int i = 0; i < 2_000; i++) {
                ColumnFamilyHandle columnFamily = handles.get(random.nextInt(handles.size()));
                byte[] key = randomBytes(random, random.nextInt(300)); // up to two-byte lengths, empty too
                byte[] value = randomBytes(random, random.nextInt(20_000)); // up to three-byte lengths
                // Only a prefix of each array is the key or value, as with the state objects' reused buffers.
                int keyLength = key.length == 0 ? 0 : random.nextInt(key.length + 1);
                int valueLength = value.length == 0 ? 0 : random.nextInt(value.length + 1);
                switch (random.nextInt(3)) {
                    case 0 -> {
                        serialized.put(columnFamily, key, keyLength, value, valueLength);
                        reference.put(columnFamily, Arrays.copyOf(key, keyLength), Arrays.copyOf(value, valueLength));
                    }
                    case 1 -> {
                        serialized.merge(columnFamily, key, keyLength, value, valueLength);
                        reference.merge(columnFamily, Arrays.copyOf(key, keyLength), Arrays.copyOf(value, valueLength));
                    }
                    default -> {
                        serialized.delete(columnFamily, key, keyLength);
                        reference.delete(columnFamily, Arrays.copyOf(key, keyLength));
                    }
                }
            }
            assertThat(serialized.count()).isEqualTo(reference.count()).isEqualTo(2_000);
            assertThat(serialized.toByteArray()).isEqualTo(reference.data());
        }
    }

    @Test
    void writingTheBatchAppliesItsWritesInOrderAndClearingStartsAnEmptyOne() throws Exception {
        ColumnFamilyHandle defaultFamily = handles.get(0);
        ColumnFamilyHandle other = handles.get(129);
        byte[] key = bytes("key-and-more");
        SerializedWriteBatch batch = new SerializedWriteBatch(64);
        batch.put(defaultFamily, key, 3, bytes("a"), 1);
        batch.merge(defaultFamily, key, 3, bytes("b"), 1);
        batch.put(other, key, 3, bytes("gone"), 4);
        batch.delete(other, key, 3);
        batch.merge(other, key, 3, bytes("c"), 1);
        batch.writeTo(db, writeOptions);

        assertThat(db.get(defaultFamily, bytes("key"))).isEqualTo(bytes("a,b"));
        assertThat(db.get(other, bytes("key"))).isEqualTo(bytes("c"));

        // Batches of one write each (written by the plain calls): put, merge, delete, in both kinds of family.
        batch.clear();
        assertThat(batch.count()).isZero();
        batch.put(other, key, 3, bytes("d"), 1);
        batch.writeTo(db, writeOptions);
        assertThat(db.get(other, bytes("key"))).isEqualTo(bytes("d"));
        assertThat(db.get(defaultFamily, bytes("key"))).isEqualTo(bytes("a,b"));
        batch.clear();
        batch.merge(defaultFamily, key, 3, bytes("e"), 1);
        batch.writeTo(db, writeOptions);
        assertThat(db.get(defaultFamily, bytes("key"))).isEqualTo(bytes("a,b,e"));
        batch.clear();
        batch.delete(other, key, 3);
        batch.writeTo(db, writeOptions);
        assertThat(db.get(other, bytes("key"))).isNull();
        batch.clear();
        batch.put(defaultFamily, key, 7, bytes("fgh"), 3); // the key "key-and"
        batch.writeTo(db, writeOptions);
        assertThat(db.get(defaultFamily, bytes("key-and"))).isEqualTo(bytes("fgh"));
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
