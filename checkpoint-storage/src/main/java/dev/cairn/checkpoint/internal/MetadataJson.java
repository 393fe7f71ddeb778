package dev.cairn.checkpoint.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.checkpoint.CheckpointMetadata;
import dev.cairn.checkpoint.FileStateHandle;
import dev.cairn.checkpoint.OperatorSnapshot;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.spi.ByteStreamStateHandle;
import dev.cairn.state.spi.HandleMetadataReader;
import dev.cairn.state.spi.HandleMetadataWriter;
import dev.cairn.state.spi.KeyGroupRangeOffsets;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.KeyedStateHandleCodec;
import dev.cairn.state.spi.OperatorStateHandle;
import dev.cairn.state.spi.SnapshotOptions.SnapshotType;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@code _metadata} (JSON, format version 2; {@code docs/format.md}).
 *
 * <p><b>Integrity.</b> The file carries a CRC32C of its own bytes (field {@code checksum}, computed with the field's
 * value zeroed), verified before anything in it is interpreted; every inlined stream carries the CRC32C of its bytes;
 * and what a writer cannot have produced is rejected: offsets that are not increasing or point past their stream,
 * key-group ranges that do not match their offsets, overlapping handles of one operator, an operator count that
 * differs from the operators present. Version 1 files (written before checksums) are read with a warning.
 *
 * <p><b>Paths.</b> Exclusive and shared files are stored relative to the checkpoint directory and the job's shared
 * directory, so a savepoint directory can be moved; changelog files by absolute URI. On read every path must stay
 * inside its root after normalization — no {@code ..}, no absolute path elsewhere, no symbolic link leading out —
 * and a changelog file must lie under a changelog directory the storage was told about; otherwise the metadata is
 * rejected before any file is read or deleted.
 */
public final class MetadataJson {
    /** The {@code keyGroupHash} of handles whose key groups come from Flink's hash (Cairn's since format 2). */
    static final String FLINK_KEY_GROUP_HASH = "flink-murmur3";

    private static final Logger LOG = LoggerFactory.getLogger(MetadataJson.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FORMAT = "cairn-checkpoint-metadata";
    private static final String ZERO_CHECKSUM = "00000000";
    /** The checksum field as written, in the bytes of the file (read as ISO-8859-1: one char per byte). */
    private static final Pattern CHECKSUM = Pattern.compile("\"checksum\"\\s*:\\s*\"([0-9a-f]{8})\"");
    /** The first metadata version with checksums. */
    private static final int CHECKSUMMED_VERSION = 2;

    /**
     * The directories paths in the metadata may point into: the checkpoint directory (exclusive files), the job's
     * shared directory (shared files), and the changelog directories (changelog files; none unless configured).
     */
    public record Directories(StoragePath checkpoint, StoragePath shared, List<StoragePath> changelog) {
        public Directories {
            changelog = List.copyOf(changelog);
        }

        public Directories(StoragePath checkpoint, StoragePath shared) {
            this(checkpoint, shared, List.of());
        }
    }

    private MetadataJson() {}

    public static byte[] write(CheckpointMetadata metadata, Directories directories) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", CheckpointMetadata.FORMAT_VERSION);
        root.put("checksum", ZERO_CHECKSUM);
        root.put("operatorCount", metadata.operators().size());
        root.put("checkpointId", metadata.checkpointId());
        root.put("timestamp", metadata.timestamp());
        root.put("type", metadata.type().name());
        ArrayNode operators = root.putArray("operators");
        for (OperatorSnapshot operator : metadata.operators()) {
            ObjectNode node = operators.addObject();
            node.put("id", operator.operatorId());
            ArrayNode keyed = node.putArray("keyed");
            for (KeyedStateHandle handle : operator.keyedState()) {
                writeKeyed(keyed.addObject(), handle, directories);
            }
            ArrayNode operatorState = node.putArray("operatorState");
            for (OperatorStateHandle handle : operator.operatorState()) {
                ObjectNode handleNode = operatorState.addObject();
                ArrayNode states = handleNode.putArray("states");
                handle.getStates().forEach((name, info) -> {
                    ObjectNode state = states.addObject();
                    state.put("name", name);
                    state.put("mode", info.mode().name());
                    state.put("offset", info.offset());
                    state.put("count", info.count());
                });
                writeStream(handleNode.putObject("stream"), handle.getStream(), directories);
            }
        }
        return withChecksum(MAPPER.writeValueAsBytes(root));
    }

    /** Replaces the zero placeholder of the checksum field with the CRC32C of the bytes as they are with it. */
    private static byte[] withChecksum(byte[] json) {
        CRC32C crc = new CRC32C();
        crc.update(json);
        String text = new String(json, StandardCharsets.ISO_8859_1);
        Matcher matcher = CHECKSUM.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("The checksum field is missing from the metadata written");
        }
        String checksum = String.format("%08x", crc.getValue());
        byte[] result = json.clone();
        byte[] digits = checksum.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(digits, 0, result, matcher.start(1), digits.length);
        return result;
    }

    /**
     * Verifies the checksum field of a version-2 file; returns whether the file has one at all.
     *
     * @throws CorruptCheckpointException naming {@code source} and both values on a mismatch
     */
    private static boolean verifyChecksum(byte[] json, String source) {
        Matcher matcher = CHECKSUM.matcher(new String(json, StandardCharsets.ISO_8859_1));
        if (!matcher.find()) {
            return false;
        }
        byte[] zeroed = json.clone();
        byte[] zeros = ZERO_CHECKSUM.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(zeros, 0, zeroed, matcher.start(1), zeros.length);
        CRC32C crc = new CRC32C();
        crc.update(zeroed);
        String computed = String.format("%08x", crc.getValue());
        if (!computed.equals(matcher.group(1))) {
            throw new CorruptCheckpointException(String.format(
                    "Checksum mismatch in %s: expected CRC32C %s, computed %s (the file was changed or damaged)",
                    source, matcher.group(1), computed));
        }
        return true;
    }

    private static void writeKeyed(ObjectNode node, KeyedStateHandle handle, Directories directories) {
        if (handle instanceof KeyGroupsStateHandle keyGroups) {
            writeKeyGroups(node, keyGroups, directories);
            return;
        }
        KeyedStateHandleCodec codec = HandleCodecs.forHandle(handle);
        node.put("type", codec.typeTag());
        codec.write(handle, new JsonHandleWriter(node, directories));
    }

    private static void writeKeyGroups(ObjectNode node, KeyGroupsStateHandle keyGroups, Directories directories) {
        node.put("type", "key-groups");
        writeKeyGroupHash(node, keyGroups.isLegacyKeyGroupHash());
        writeRange(node, keyGroups.getKeyGroupRange());
        ArrayNode offsets = node.putArray("offsets");
        for (long offset : keyGroups.getOffsets().toArray()) {
            offsets.add(offset);
        }
        writeStream(node.putObject("stream"), keyGroups.getStream(), directories);
    }

    /**
     * Which hash assigned the key groups: {@value #FLINK_KEY_GROUP_HASH}; metadata written before Cairn used Flink's
     * hash has no such field (read as the legacy hash).
     */
    private static void writeKeyGroupHash(ObjectNode node, boolean legacy) {
        if (!legacy) {
            node.put("keyGroupHash", FLINK_KEY_GROUP_HASH);
        }
    }

    private static boolean legacyKeyGroupHash(JsonNode node, String source) {
        JsonNode hash = node.get("keyGroupHash");
        if (hash == null) {
            return true;
        }
        if (!FLINK_KEY_GROUP_HASH.equals(hash.asText())) {
            throw new CorruptCheckpointException(
                    "Unknown key-group hash '" + hash.asText() + "' in " + source + "; known: " + FLINK_KEY_GROUP_HASH);
        }
        return false;
    }

    /** The inverse of {@code Reader.range}. */
    private static void writeRange(ObjectNode node, KeyGroupRange range) {
        node.put("startKeyGroup", range.getStartKeyGroup());
        node.put("endKeyGroup", range.getEndKeyGroup());
    }

    /** The {@link HandleMetadataWriter} a codec writes its handle's fields through: one JSON object. */
    private static final class JsonHandleWriter implements HandleMetadataWriter {
        private final ObjectNode node;
        private final Directories directories;

        JsonHandleWriter(ObjectNode node, Directories directories) {
            this.node = node;
            this.directories = directories;
        }

        @Override
        public void putString(String field, String value) {
            node.put(field, value);
        }

        @Override
        public void putLong(String field, long value) {
            node.put(field, value);
        }

        @Override
        public void putLongs(String field, long[] values) {
            ArrayNode array = node.putArray(field);
            for (long value : values) {
                array.add(value);
            }
        }

        @Override
        public void putBoolean(String field, boolean value) {
            node.put(field, value);
        }

        @Override
        public void putKeyGroupRange(KeyGroupRange range) {
            writeRange(node, range);
        }

        @Override
        public void putKeyGroupHash(boolean legacy) {
            writeKeyGroupHash(node, legacy);
        }

        @Override
        public void putStream(String field, StreamStateHandle stream) {
            writeStream(node.putObject(field), stream, directories);
        }

        @Override
        public void putKeyed(String field, KeyedStateHandle handle) {
            writeKeyed(node.putObject(field), handle, directories);
        }

        @Override
        public void putKeyedList(String field, List<? extends KeyedStateHandle> handles) {
            ArrayNode array = node.putArray(field);
            for (KeyedStateHandle handle : handles) {
                writeKeyed(array.addObject(), handle, directories);
            }
        }

        @Override
        public <T> void putArray(String field, List<T> elements, BiConsumer<T, HandleMetadataWriter> element) {
            ArrayNode array = node.putArray(field);
            for (T value : elements) {
                element.accept(value, new JsonHandleWriter(array.addObject(), directories));
            }
        }
    }

    /**
     * Exclusive and shared files relative to their directory (so savepoints can move); changelog files, which live
     * under the changelog storage's base path, as absolute URIs.
     */
    private static String storedPath(FileStateHandle file, Directories directories) {
        if (file.getScope() == StateScope.CHANGELOG) {
            return file.getPath().toString();
        }
        StoragePath base = file.getScope() == StateScope.SHARED ? directories.shared() : directories.checkpoint();
        String relative = base.relativize(file.getPath());
        if (relative == null) {
            throw new IllegalArgumentException(file.getPath() + " is not inside " + base);
        }
        return relative;
    }

    private static void writeStream(ObjectNode node, StreamStateHandle stream, Directories directories) {
        if (stream instanceof ByteStreamStateHandle bytes) {
            node.put("type", "inline");
            node.put("data", Base64.getEncoder().encodeToString(bytes.getData()));
            node.put("crc32c", String.format("%08x", crc32c(bytes.getData())));
        } else if (stream instanceof FileStateHandle file) {
            node.put("type", "file");
            node.put("scope", file.getScope().name());
            node.put("path", storedPath(file, directories));
            node.put("size", file.getStateSize());
            node.put("crc32c", String.format("%08x", file.getCrc32c()));
        } else {
            throw new IllegalArgumentException(
                    "Cannot store a " + stream.getClass().getName() + " in checkpoint metadata");
        }
    }

    /**
     * Parses metadata read from {@code source}.
     *
     * @throws CorruptCheckpointException naming {@code source} when the JSON is malformed, of another format or
     *     version, or references a path outside its directories
     */
    public static CheckpointMetadata read(
            byte[] json, Directories directories, String source, FileSystemRegistry fileSystems) {
        boolean checksummed = verifyChecksum(json, source);
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject() || !FORMAT.equals(text(root, "format", source))) {
                throw new CorruptCheckpointException(source + " is not Cairn checkpoint metadata");
            }
            int version = number(root, "version", source).intValue();
            if (version != CheckpointMetadata.FORMAT_VERSION && version != 1) {
                throw new CorruptCheckpointException(source + " has metadata version " + version
                        + "; this Cairn reads versions 1 and " + CheckpointMetadata.FORMAT_VERSION);
            }
            if (version >= CHECKSUMMED_VERSION && !checksummed) {
                throw new CorruptCheckpointException(
                        source + " has no checksum, which metadata of version " + version + " must have");
            }
            if (version < CHECKSUMMED_VERSION) {
                if (checksummed) {
                    throw new CorruptCheckpointException(source + " has a checksum but says it is of version " + version
                            + ", which had none (the file was changed or damaged)");
                }
                LOG.warn(
                        "{} is of metadata version {}, written before metadata checksums: its integrity cannot be"
                                + " verified beyond the checksums of its files",
                        source,
                        version);
            }
            Reader reader = new Reader(directories, source, version >= CHECKSUMMED_VERSION, fileSystems);
            List<OperatorSnapshot> operators = new ArrayList<>();
            for (JsonNode operator : array(root, "operators", source)) {
                String operatorId = text(operator, "id", source);
                List<KeyedStateHandle> keyed = new ArrayList<>();
                for (JsonNode handle : array(operator, "keyed", source)) {
                    keyed.add(reader.readKeyed(handle));
                }
                MetadataValidation.checkDisjoint(operatorId, keyed, source);
                List<OperatorStateHandle> operatorState = new ArrayList<>();
                if (operator.has("operatorState")) {
                    for (JsonNode handle : array(operator, "operatorState", source)) {
                        operatorState.add(reader.readOperatorState(handle));
                    }
                }
                operators.add(new OperatorSnapshot(operatorId, keyed, operatorState));
            }
            if (version >= CHECKSUMMED_VERSION) {
                int recorded = number(root, "operatorCount", source).intValue();
                if (recorded != operators.size()) {
                    throw new CorruptCheckpointException(
                            source + " records " + recorded + " operators but holds " + operators.size());
                }
            }
            return new CheckpointMetadata(
                    number(root, "checkpointId", source).longValue(),
                    number(root, "timestamp", source).longValue(),
                    SnapshotType.valueOf(text(root, "type", source)),
                    operators);
        } catch (JsonProcessingException e) {
            throw new CorruptCheckpointException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptCheckpointException("Invalid checkpoint metadata " + source + ": " + e.getMessage(), e);
        }
    }

    /** Reads the handles of one metadata file, checking what its writer cannot have produced. */
    private static final class Reader {
        private final Directories directories;
        private final String source;
        private final boolean checksumsRequired;
        /** The file systems the handles read will open and delete their files through. */
        private final FileSystemRegistry fileSystems;

        Reader(Directories directories, String source, boolean checksumsRequired, FileSystemRegistry fileSystems) {
            this.directories = directories;
            this.source = source;
            this.checksumsRequired = checksumsRequired;
            this.fileSystems = fileSystems;
        }

        KeyedStateHandle readKeyed(JsonNode node) {
            String type = text(node, "type", source);
            if (type.equals("key-groups")) {
                return readKeyGroups(node);
            }
            return HandleCodecs.forTag(type, source).read(new JsonHandleReader(node, this));
        }

        KeyGroupsStateHandle readKeyGroups(JsonNode node) {
            KeyGroupRange range = range(node);
            JsonNode offsetsNode = array(node, "offsets", source);
            if (offsetsNode.size() != range.getNumberOfKeyGroups()) {
                throw new CorruptCheckpointException("A handle in " + source + " covers " + range + " ("
                        + range.getNumberOfKeyGroups() + " key groups) but records " + offsetsNode.size()
                        + " key-group offsets");
            }
            StreamStateHandle stream = readStream(field(node, "stream", source));
            long[] offsets = new long[offsetsNode.size()];
            for (int i = 0; i < offsets.length; i++) {
                if (!offsetsNode.get(i).isIntegralNumber()) {
                    throw new CorruptCheckpointException("A key-group offset in " + source + " is not a number");
                }
                offsets[i] = offsetsNode.get(i).asLong();
            }
            MetadataValidation.checkOffsets(offsets, stream, range, source);
            return new KeyGroupsStateHandle(
                    new KeyGroupRangeOffsets(range, offsets), stream, legacyKeyGroupHash(node, source));
        }

        private KeyGroupRange range(JsonNode node) {
            int start = number(node, "startKeyGroup", source).intValue();
            int end = number(node, "endKeyGroup", source).intValue();
            if (start < 0 || end < start || end >= KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM) {
                throw new CorruptCheckpointException("Invalid key-group range " + start + ".." + end + " in " + source);
            }
            return KeyGroupRange.of(start, end);
        }

        OperatorStateHandle readOperatorState(JsonNode node) {
            Map<String, OperatorStateHandle.StateInfo> states = new LinkedHashMap<>();
            for (JsonNode state : array(node, "states", source)) {
                states.put(
                        text(state, "name", source),
                        new OperatorStateHandle.StateInfo(
                                OperatorStateHandle.Mode.valueOf(text(state, "mode", source)),
                                number(state, "offset", source).longValue(),
                                number(state, "count", source).intValue()));
            }
            return new OperatorStateHandle(readStream(field(node, "stream", source)), states);
        }

        StreamStateHandle readStream(JsonNode node) {
            String type = text(node, "type", source);
            if (type.equals("inline")) {
                byte[] data = Base64.getDecoder().decode(text(node, "data", source));
                JsonNode recorded = node.get("crc32c");
                if (recorded == null && checksumsRequired) {
                    throw new CorruptCheckpointException("An inlined stream in " + source + " has no checksum");
                }
                if (recorded != null) {
                    String computed = String.format("%08x", crc32c(data));
                    if (!computed.equals(recorded.asText())) {
                        throw new CorruptCheckpointException(String.format(
                                "Checksum mismatch in an inlined stream of %s: expected CRC32C %s, computed %s",
                                source, recorded.asText(), computed));
                    }
                }
                return new ByteStreamStateHandle("inline state in " + source, data);
            } else if (type.equals("file")) {
                StateScope scope = StateScope.valueOf(text(node, "scope", source));
                StoragePath path = resolvePath(text(node, "path", source), scope, directories);
                return new FileStateHandle(
                        fileSystems.get(path),
                        path,
                        scope,
                        number(node, "size", source).longValue(),
                        Integer.parseUnsignedInt(text(node, "crc32c", source), 16));
            }
            throw new CorruptCheckpointException("Unknown stream handle type '" + type + "' in " + source);
        }

        /**
         * The inverse of {@link #storedPath}, refusing any path outside its root: relative paths must not climb,
         * changelog paths must lie under a configured changelog directory, and no symbolic link may lead out.
         */
        StoragePath resolvePath(String stored, StateScope scope, Directories directories) {
            if (scope == StateScope.CHANGELOG) {
                StoragePath path;
                try {
                    path = StoragePath.of(stored);
                } catch (IllegalArgumentException e) {
                    throw new CorruptCheckpointException(
                            "Invalid changelog file path '" + stored + "' in " + source, e);
                }
                for (StoragePath root : directories.changelog()) {
                    if (StoragePathPolicy.isInside(root, path)) {
                        return StoragePathPolicy.checkNoLinkEscape(root, path, source);
                    }
                }
                throw new CorruptCheckpointException("Changelog file " + stored + " named in " + source
                        + " is outside every changelog directory this storage accepts " + directories.changelog()
                        + " (set 'state.changelog.dstl.dfs.base-path' to the directory the changelog was written to);"
                        + " nothing was read or deleted");
            }
            StoragePath root = scope == StateScope.SHARED ? directories.shared() : directories.checkpoint();
            try {
                StoragePath.checkRelative(stored);
            } catch (IllegalArgumentException e) {
                throw new CorruptCheckpointException(
                        e.getMessage() + " (" + scope + " file named in " + source + "); nothing was read or deleted",
                        e);
            }
            return StoragePathPolicy.checkNoLinkEscape(root, root.resolve(stored), source);
        }
    }

    /** The {@link HandleMetadataReader} a codec reads its handle's fields through: one JSON object. */
    private static final class JsonHandleReader implements HandleMetadataReader {
        private final JsonNode node;
        private final Reader reader;

        JsonHandleReader(JsonNode node, Reader reader) {
            this.node = node;
            this.reader = reader;
        }

        @Override
        public String getString(String field) {
            return text(node, field, reader.source);
        }

        @Override
        public long getLong(String field) {
            return number(node, field, reader.source).longValue();
        }

        @Override
        public long[] getLongs(String field) {
            JsonNode values = array(node, field, reader.source);
            long[] result = new long[values.size()];
            for (int i = 0; i < result.length; i++) {
                if (!values.get(i).isIntegralNumber()) {
                    throw corrupt("field '" + field + "' holds " + values.get(i) + ", not an integer");
                }
                result[i] = values.get(i).asLong();
            }
            return result;
        }

        @Override
        public boolean getBoolean(String field) {
            JsonNode value = field(node, field, reader.source);
            if (!value.isBoolean()) {
                throw corrupt("field '" + field + "' is not a boolean");
            }
            return value.asBoolean();
        }

        @Override
        public KeyGroupRange getKeyGroupRange() {
            return reader.range(node);
        }

        @Override
        public boolean legacyKeyGroupHash() {
            return MetadataJson.legacyKeyGroupHash(node, reader.source);
        }

        @Override
        public StreamStateHandle getStream(String field) {
            return reader.readStream(field(node, field, reader.source));
        }

        @Override
        public KeyedStateHandle getKeyed(String field) {
            return reader.readKeyed(field(node, field, reader.source));
        }

        @Override
        public List<KeyedStateHandle> getKeyedList(String field) {
            List<KeyedStateHandle> handles = new ArrayList<>();
            for (JsonNode element : array(node, field, reader.source)) {
                handles.add(reader.readKeyed(element));
            }
            return handles;
        }

        @Override
        public <T> List<T> getArray(String field, Function<HandleMetadataReader, T> element) {
            List<T> values = new ArrayList<>();
            for (JsonNode value : array(node, field, reader.source)) {
                values.add(element.apply(new JsonHandleReader(value, reader)));
            }
            return values;
        }

        @Override
        public CorruptCheckpointException corrupt(String problem) {
            return new CorruptCheckpointException("Invalid checkpoint metadata " + reader.source + ": " + problem);
        }
    }

    private static long crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }

    private static JsonNode field(JsonNode node, String name, String source) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new CorruptCheckpointException("Field '" + name + "' missing in " + source);
        }
        return value;
    }

    private static String text(JsonNode node, String name, String source) {
        JsonNode value = field(node, name, source);
        if (!value.isTextual()) {
            throw new CorruptCheckpointException("Field '" + name + "' in " + source + " is not a string");
        }
        return value.asText();
    }

    private static Number number(JsonNode node, String name, String source) {
        JsonNode value = field(node, name, source);
        if (!value.isNumber()) {
            throw new CorruptCheckpointException("Field '" + name + "' in " + source + " is not a number");
        }
        return value.numberValue();
    }

    private static JsonNode array(JsonNode node, String name, String source) {
        JsonNode value = field(node, name, source);
        if (!value.isArray()) {
            throw new CorruptCheckpointException("Field '" + name + "' in " + source + " is not an array");
        }
        return value;
    }
}
