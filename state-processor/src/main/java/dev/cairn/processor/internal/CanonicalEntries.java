package dev.cairn.processor.internal;

import dev.cairn.processor.KeyedEntry;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.support.CanonicalSnapshotReader;
import dev.cairn.state.support.CanonicalSnapshotWriter;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.StateMetaInfo;
import dev.cairn.state.support.TtlValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams the entries of one keyed state from canonical snapshot streams, key group by key group, decoding them
 * with the serializers the snapshot records. Only one record is in memory at a time (a list state's record holds
 * its whole list), so any state size can be read; records of other states are skipped without decoding.
 */
public final class CanonicalEntries {
    private CanonicalEntries() {}

    /**
     * The entries of {@code stateName} in {@code handles}, lazily; the stream must be closed (it holds an open
     * file).
     *
     * @param handles canonical handles, e.g. one per instance
     * @param stateName the state's name
     * @param classLoader loads the serializers the snapshot names
     * @return the entries
     */
    public static Stream<KeyedEntry> of(List<KeyGroupsStateHandle> handles, String stateName, ClassLoader classLoader) {
        EntryIterator iterator = new EntryIterator(new ArrayDeque<>(handles), stateName, classLoader);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false)
                .onClose(iterator::close);
    }

    /**
     * Reads past one record of a state of {@code kind} without decoding it (the current state index has been read).
     *
     * @param reader the reader, positioned after the record's state index
     * @param kind the record's state kind
     * @throws IOException when the stream is corrupt
     */
    public static void skipRecord(CanonicalSnapshotReader reader, StateKind kind) throws IOException {
        reader.readBytes(); // key
        reader.readBytes(); // namespace
        reader.skipRecordRest(kind);
    }

    /**
     * Reads past one record of a state of {@code kind}, counting its serialized bytes: key, namespace and values
     * (length prefixes and list counts not included; a timer's timestamp counts 8, a TTL value its timestamp too).
     *
     * @param reader the reader, positioned after the record's state index
     * @param kind the record's state kind
     * @return the record's bytes
     * @throws IOException when the stream is corrupt
     */
    public static long recordSize(CanonicalSnapshotReader reader, StateKind kind) throws IOException {
        long bytes = reader.readBytes().length + reader.readBytes().length; // key, namespace
        switch (kind) {
            case TIMERS -> {
                reader.readLong();
                bytes += Long.BYTES;
            }
            case LIST -> {
                int count = reader.readCount();
                for (int i = 0; i < count; i++) {
                    bytes += reader.readBytes().length;
                }
            }
            case MAP -> {
                bytes += reader.readBytes().length;
                if (!reader.readBoolean()) {
                    bytes += reader.readBytes().length;
                }
            }
            default -> bytes += reader.readBytes().length;
        }
        return bytes;
    }

    /**
     * Copies one record's fields (after its state index) from a reader to a writer, as bytes.
     *
     * @param reader the reader, positioned after the record's state index
     * @param writer the writer, after {@code startRecord}
     * @param kind the record's state kind
     * @throws IOException when reading or writing fails
     */
    public static void copyRecord(CanonicalSnapshotReader reader, CanonicalSnapshotWriter writer, StateKind kind)
            throws IOException {
        copyField(reader, writer); // key
        copyField(reader, writer); // namespace
        switch (kind) {
            case TIMERS -> writer.writeLong(reader.readLong());
            case LIST -> {
                int count = reader.readCount();
                writer.writeCount(count);
                for (int i = 0; i < count; i++) {
                    copyField(reader, writer);
                }
            }
            case MAP -> {
                copyField(reader, writer);
                boolean isNull = reader.readBoolean();
                writer.writeBoolean(isNull);
                if (!isNull) {
                    copyField(reader, writer);
                }
            }
            default -> copyField(reader, writer);
        }
    }

    /**
     * Copies one length-prefixed field as bytes.
     *
     * @param reader where the field is read
     * @param writer where it is written
     * @throws IOException when reading or writing fails
     */
    public static void copyField(CanonicalSnapshotReader reader, CanonicalSnapshotWriter writer) throws IOException {
        byte[] field = reader.readBytes();
        writer.writeBytes(field, 0, field.length);
    }

    /**
     * The serializer that reads what {@code snapshot} describes: the application's (restored) serializer when its
     * classes are there, else the snapshot's {@linkplain TypeSerializerSnapshot#genericSerializer() generic} form
     * (JSON trees, enum names) — enough to look at the data, never used to write state.
     *
     * @param snapshot a serializer snapshot from a checkpoint
     * @return a serializer that reads the data
     */
    public static TypeSerializer<?> readingSerializer(TypeSerializerSnapshot<?> snapshot) {
        try {
            return snapshot.restoreSerializer();
        } catch (IllegalStateException missingClass) {
            return snapshot.genericSerializer();
        }
    }

    private static final class EntryIterator implements Iterator<KeyedEntry> {
        private final Deque<KeyGroupsStateHandle> handles;
        private final String stateName;
        private final ClassLoader classLoader;
        private CanonicalSnapshotReader reader;
        private List<StateMetaInfo> states;
        private int stateIndex;
        private TypeSerializer<Object> keySerializer;
        private TypeSerializer<Object> namespaceSerializer;
        private List<TypeSerializer<?>> valueSerializers;
        private int keyGroup;
        private boolean keyGroupOpen;
        private KeyedEntry next;

        EntryIterator(Deque<KeyGroupsStateHandle> handles, String stateName, ClassLoader classLoader) {
            this.handles = handles;
            this.stateName = stateName;
            this.classLoader = classLoader;
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    next = advance();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return next != null;
        }

        @Override
        public KeyedEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            KeyedEntry entry = next;
            next = null;
            return entry;
        }

        @SuppressWarnings("unchecked")
        private KeyedEntry advance() throws IOException {
            while (true) {
                if (reader == null && !openNextHandle()) {
                    return null;
                }
                if (!keyGroupOpen) {
                    if (keyGroup > reader.getKeyGroupRange().getEndKeyGroup()) {
                        closeReader();
                        continue;
                    }
                    reader.seekKeyGroup(keyGroup);
                    keyGroupOpen = true;
                }
                int index = reader.nextRecord();
                if (index < 0) {
                    keyGroupOpen = false;
                    keyGroup++;
                    continue;
                }
                StateMetaInfo meta = states.get(index);
                if (index != stateIndex) {
                    skipRecord(reader, meta.getKind());
                    continue;
                }
                return read(meta);
            }
        }

        @SuppressWarnings("unchecked")
        private boolean openNextHandle() throws IOException {
            while (!handles.isEmpty()) {
                KeyGroupsStateHandle handle = handles.poll();
                CanonicalSnapshotReader opened = CanonicalSnapshotReader.open(handle, classLoader);
                List<StateMetaInfo> metaInfos = opened.getStates();
                int index = -1;
                for (int i = 0; i < metaInfos.size(); i++) {
                    if (metaInfos.get(i).getName().equals(stateName)) {
                        index = i;
                    }
                }
                if (index < 0 || opened.getKeyGroupRange().isEmpty()) {
                    opened.close();
                    continue;
                }
                reader = opened;
                states = metaInfos;
                stateIndex = index;
                StateMetaInfo meta = metaInfos.get(index);
                keySerializer = (TypeSerializer<Object>) readingSerializer(opened.getKeySerializerSnapshot());
                namespaceSerializer = (TypeSerializer<Object>) readingSerializer(meta.getNamespaceSerializer());
                List<TypeSerializer<?>> values = new ArrayList<>();
                meta.getValueSerializers().forEach(snapshot -> values.add(readingSerializer(snapshot)));
                valueSerializers = values;
                keyGroup = opened.getKeyGroupRange().getStartKeyGroup();
                keyGroupOpen = false;
                return true;
            }
            return false;
        }

        @SuppressWarnings("unchecked")
        private KeyedEntry read(StateMetaInfo meta) throws IOException {
            Object key = reader.readSerialized(keySerializer);
            Object namespace = reader.readSerialized(namespaceSerializer);
            TypeSerializer<Object> first =
                    valueSerializers.isEmpty() ? null : (TypeSerializer<Object>) valueSerializers.get(0);
            switch (meta.getKind()) {
                case TIMERS -> {
                    return new KeyedEntry(keyGroup, key, namespace, reader.readLong(), -1);
                }
                case LIST -> {
                    int count = reader.readCount();
                    List<Object> elements = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        elements.add(reader.readSerialized(first));
                    }
                    return new KeyedEntry(keyGroup, key, namespace, elements, -1);
                }
                case MAP -> {
                    Object userKey = reader.readSerialized(first);
                    Object userValue = reader.readBoolean()
                            ? null
                            : reader.readSerialized((TypeSerializer<Object>) valueSerializers.get(1));
                    long ttl = -1;
                    if (userValue instanceof TtlValue<?> ttlValue) {
                        ttl = ttlValue.lastAccessTimestamp();
                        userValue = ttlValue.userValue();
                    }
                    return new KeyedEntry(keyGroup, key, namespace, new SimpleEntry(userKey, userValue), ttl);
                }
                default -> {
                    Object value = reader.readSerialized(first);
                    if (value instanceof TtlValue<?> ttlValue) {
                        return new KeyedEntry(
                                keyGroup, key, namespace, ttlValue.userValue(), ttlValue.lastAccessTimestamp());
                    }
                    return new KeyedEntry(keyGroup, key, namespace, value, -1);
                }
            }
        }

        private void closeReader() throws IOException {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }

        void close() {
            try {
                closeReader();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            handles.clear();
        }
    }

    /** A map entry that allows a {@code null} value (a map state may hold one). */
    private record SimpleEntry(Object getKey, Object getValue) implements Map.Entry<Object, Object> {
        @Override
        public Object setValue(Object value) {
            throw new UnsupportedOperationException("entries read from a snapshot are read-only");
        }

        @Override
        public String toString() {
            return getKey + "=" + getValue;
        }
    }
}
