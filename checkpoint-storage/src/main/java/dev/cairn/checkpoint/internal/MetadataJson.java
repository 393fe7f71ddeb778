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
import dev.cairn.checkpoint.StoragePath;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.spi.ByteStreamStateHandle;
import dev.cairn.state.spi.ChangelogStateBackendHandle;
import dev.cairn.state.spi.IncrementalKeyedStateHandle;
import dev.cairn.state.spi.KeyGroupRangeOffsets;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.OperatorStateHandle;
import dev.cairn.state.spi.SnapshotOptions.SnapshotType;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code _metadata} (JSON). File paths are stored relative to the checkpoint directory
 * (exclusive files) or the job's shared directory (shared files), so a savepoint directory can be moved; on read
 * every path is checked to stay inside its directory.
 */
public final class MetadataJson {
    /** The {@code keyGroupHash} of handles whose key groups come from Flink's hash (Cairn's since format 2). */
    static final String FLINK_KEY_GROUP_HASH = "flink-murmur3";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FORMAT = "cairn-checkpoint-metadata";

    /** Directories that relative paths in the metadata refer to. */
    public record Directories(StoragePath checkpoint, StoragePath shared) {}

    private MetadataJson() {}

    public static byte[] write(CheckpointMetadata metadata, Directories directories) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", CheckpointMetadata.FORMAT_VERSION);
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
        return MAPPER.writeValueAsBytes(root);
    }

    private static void writeKeyed(ObjectNode node, KeyedStateHandle handle, Directories directories) {
        if (handle instanceof IncrementalKeyedStateHandle incremental) {
            writeIncremental(node, incremental, directories);
            return;
        }
        if (handle instanceof ChangelogStateBackendHandle changelog) {
            writeChangelog(node, changelog, directories);
            return;
        }
        if (!(handle instanceof KeyGroupsStateHandle keyGroups)) {
            throw new IllegalArgumentException(
                    "Cannot store a " + handle.getClass().getName() + " in checkpoint metadata");
        }
        writeKeyGroups(node, keyGroups, directories);
    }

    private static void writeKeyGroups(ObjectNode node, KeyGroupsStateHandle keyGroups, Directories directories) {
        node.put("type", "key-groups");
        writeKeyGroupHash(node, keyGroups.isLegacyKeyGroupHash());
        node.put("startKeyGroup", keyGroups.getKeyGroupRange().getStartKeyGroup());
        node.put("endKeyGroup", keyGroups.getKeyGroupRange().getEndKeyGroup());
        ArrayNode offsets = node.putArray("offsets");
        for (long offset : keyGroups.getOffsets().toArray()) {
            offsets.add(offset);
        }
        writeStream(node.putObject("stream"), keyGroups.getStream(), directories);
    }

    private static void writeIncremental(ObjectNode node, IncrementalKeyedStateHandle handle, Directories directories) {
        node.put("type", "native");
        node.put("backend", handle.getBackendIdentifier());
        node.put("checkpointId", handle.getCheckpointId());
        node.put("startKeyGroup", handle.getKeyGroupRange().getStartKeyGroup());
        node.put("endKeyGroup", handle.getKeyGroupRange().getEndKeyGroup());
        node.put("incremental", handle.isIncremental());
        node.put("checkpointedSize", handle.getCheckpointedSize());
        writeKeyGroups(node.putObject("meta"), handle.getMetaData(), directories);
        writeNamedFiles(node.putArray("dataFiles"), handle.getDataFiles(), directories);
        writeNamedFiles(node.putArray("privateFiles"), handle.getPrivateFiles(), directories);
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

    private static void writeChangelog(ObjectNode node, ChangelogStateBackendHandle handle, Directories directories) {
        node.put("type", "changelog");
        writeKeyGroupHash(node, handle.legacyKeyGroupHash());
        node.put("startKeyGroup", handle.keyGroupRange().getStartKeyGroup());
        node.put("endKeyGroup", handle.keyGroupRange().getEndKeyGroup());
        node.put("materializationId", handle.materializationId());
        node.put("checkpointedSize", handle.checkpointedSize());
        ArrayNode materialized = node.putArray("materialized");
        for (KeyedStateHandle part : handle.materialized()) {
            writeKeyed(materialized.addObject(), part, directories);
        }
        ArrayNode changes = node.putArray("changes");
        for (ChangelogStateBackendHandle.Segment segment : handle.changes()) {
            ObjectNode entry = changes.addObject();
            entry.put("offset", segment.offset());
            entry.put("length", segment.length());
            entry.put("fromSequence", segment.fromSequence());
            entry.put("toSequence", segment.toSequence());
            writeStream(entry.putObject("stream"), segment.stream(), directories);
        }
    }

    private static void writeNamedFiles(
            ArrayNode array, List<IncrementalKeyedStateHandle.NamedFile> files, Directories directories) {
        for (IncrementalKeyedStateHandle.NamedFile file : files) {
            ObjectNode entry = array.addObject();
            entry.put("name", file.name());
            writeStream(entry.putObject("stream"), file.stream(), directories);
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
    public static CheckpointMetadata read(byte[] json, Directories directories, String source) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !FORMAT.equals(text(root, "format", source))) {
                throw new CorruptCheckpointException(source + " is not Cairn checkpoint metadata");
            }
            int version = number(root, "version", source).intValue();
            if (version != CheckpointMetadata.FORMAT_VERSION) {
                throw new CorruptCheckpointException(source + " has metadata version " + version
                        + "; this Cairn reads version " + CheckpointMetadata.FORMAT_VERSION);
            }
            List<OperatorSnapshot> operators = new ArrayList<>();
            for (JsonNode operator : array(root, "operators", source)) {
                List<KeyedStateHandle> keyed = new ArrayList<>();
                for (JsonNode handle : array(operator, "keyed", source)) {
                    keyed.add(readKeyed(handle, directories, source));
                }
                List<OperatorStateHandle> operatorState = new ArrayList<>();
                if (operator.has("operatorState")) {
                    for (JsonNode handle : array(operator, "operatorState", source)) {
                        operatorState.add(readOperatorState(handle, directories, source));
                    }
                }
                operators.add(new OperatorSnapshot(text(operator, "id", source), keyed, operatorState));
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

    private static KeyedStateHandle readKeyed(JsonNode node, Directories directories, String source) {
        String type = text(node, "type", source);
        if (type.equals("native")) {
            return readIncremental(node, directories, source);
        }
        if (type.equals("changelog")) {
            return readChangelog(node, directories, source);
        }
        if (!type.equals("key-groups")) {
            throw new CorruptCheckpointException("Unknown keyed state handle type in " + source + ": '" + type + "'");
        }
        return readKeyGroups(node, directories, source);
    }

    private static IncrementalKeyedStateHandle readIncremental(JsonNode node, Directories directories, String source) {
        JsonNode incremental = field(node, "incremental", source);
        if (!incremental.isBoolean()) {
            throw new CorruptCheckpointException("Field 'incremental' in " + source + " is not a boolean");
        }
        return new IncrementalKeyedStateHandle(
                text(node, "backend", source),
                number(node, "checkpointId", source).longValue(),
                KeyGroupRange.of(
                        number(node, "startKeyGroup", source).intValue(),
                        number(node, "endKeyGroup", source).intValue()),
                readKeyGroups(field(node, "meta", source), directories, source),
                readNamedFiles(array(node, "dataFiles", source), directories, source),
                readNamedFiles(array(node, "privateFiles", source), directories, source),
                number(node, "checkpointedSize", source).longValue(),
                incremental.asBoolean());
    }

    private static ChangelogStateBackendHandle readChangelog(JsonNode node, Directories directories, String source) {
        List<KeyedStateHandle> materialized = new ArrayList<>();
        for (JsonNode part : array(node, "materialized", source)) {
            materialized.add(readKeyed(part, directories, source));
        }
        List<ChangelogStateBackendHandle.Segment> changes = new ArrayList<>();
        for (JsonNode entry : array(node, "changes", source)) {
            changes.add(new ChangelogStateBackendHandle.Segment(
                    readStream(field(entry, "stream", source), directories, source),
                    number(entry, "offset", source).longValue(),
                    number(entry, "length", source).longValue(),
                    number(entry, "fromSequence", source).longValue(),
                    number(entry, "toSequence", source).longValue()));
        }
        return new ChangelogStateBackendHandle(
                KeyGroupRange.of(
                        number(node, "startKeyGroup", source).intValue(),
                        number(node, "endKeyGroup", source).intValue()),
                materialized,
                number(node, "materializationId", source).longValue(),
                changes,
                number(node, "checkpointedSize", source).longValue(),
                legacyKeyGroupHash(node, source));
    }

    private static List<IncrementalKeyedStateHandle.NamedFile> readNamedFiles(
            JsonNode array, Directories directories, String source) {
        List<IncrementalKeyedStateHandle.NamedFile> files = new ArrayList<>();
        for (JsonNode entry : array) {
            files.add(new IncrementalKeyedStateHandle.NamedFile(
                    text(entry, "name", source), readStream(field(entry, "stream", source), directories, source)));
        }
        return files;
    }

    private static KeyGroupsStateHandle readKeyGroups(JsonNode node, Directories directories, String source) {
        KeyGroupRange range = KeyGroupRange.of(
                number(node, "startKeyGroup", source).intValue(),
                number(node, "endKeyGroup", source).intValue());
        JsonNode offsetsNode = array(node, "offsets", source);
        long[] offsets = new long[offsetsNode.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = offsetsNode.get(i).asLong();
        }
        return new KeyGroupsStateHandle(
                new KeyGroupRangeOffsets(range, offsets),
                readStream(field(node, "stream", source), directories, source),
                legacyKeyGroupHash(node, source));
    }

    private static OperatorStateHandle readOperatorState(JsonNode node, Directories directories, String source) {
        Map<String, OperatorStateHandle.StateInfo> states = new LinkedHashMap<>();
        for (JsonNode state : array(node, "states", source)) {
            states.put(
                    text(state, "name", source),
                    new OperatorStateHandle.StateInfo(
                            OperatorStateHandle.Mode.valueOf(text(state, "mode", source)),
                            number(state, "offset", source).longValue(),
                            number(state, "count", source).intValue()));
        }
        return new OperatorStateHandle(readStream(field(node, "stream", source), directories, source), states);
    }

    private static StreamStateHandle readStream(JsonNode node, Directories directories, String source) {
        String type = text(node, "type", source);
        if (type.equals("inline")) {
            return new ByteStreamStateHandle(
                    "inline state in " + source, Base64.getDecoder().decode(text(node, "data", source)));
        } else if (type.equals("file")) {
            StateScope scope = StateScope.valueOf(text(node, "scope", source));
            return new FileStateHandle(
                    resolvePath(text(node, "path", source), scope, directories),
                    scope,
                    number(node, "size", source).longValue(),
                    Integer.parseUnsignedInt(text(node, "crc32c", source), 16));
        }
        throw new CorruptCheckpointException("Unknown stream handle type '" + type + "' in " + source);
    }

    /** The inverse of {@link #storedPath}: relative paths are checked not to leave their directory. */
    private static StoragePath resolvePath(String stored, StateScope scope, Directories directories) {
        if (scope == StateScope.CHANGELOG) {
            return StoragePath.of(stored);
        }
        StoragePath.checkRelative(stored);
        return (scope == StateScope.SHARED ? directories.shared() : directories.checkpoint()).resolve(stored);
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
