package dev.cairn.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Edits a {@code _metadata} file the way someone who knows its format would: the edit is followed by a correct
 * checksum, so only the content checks (paths, offsets, ranges, ids, inline CRCs) stand between it and a restore.
 */
final class TamperedMetadata {
    private static final Pattern CHECKSUM = Pattern.compile("\"checksum\"\\s*:\\s*\"([0-9a-f]{8})\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TamperedMetadata() {}

    static void rewrite(Path metadata, UnaryOperator<String> edit) throws IOException {
        String edited = edit.apply(Files.readString(metadata, StandardCharsets.ISO_8859_1));
        Files.writeString(metadata, withValidChecksum(edited), StandardCharsets.ISO_8859_1);
    }

    /** Edits the JSON tree of the metadata file at {@code metadata} in any storage. */
    static void edit(FileSystem fileSystem, StoragePath metadata, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root;
        try (var in = fileSystem.open(metadata)) {
            root = (ObjectNode) JSON.readTree(in.readAllBytes());
        }
        edit.accept(root);
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        fileSystem.writeReplacing(metadata, withValidChecksum(text).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code metadata} as {@link #edit} writes it when the edit changes nothing. */
    static byte[] normalized(byte[] metadata) throws IOException {
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(metadata));
        return withValidChecksum(text).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code json} with its checksum field set to the value it must have (unchanged if it has none). */
    static String withValidChecksum(String json) {
        Matcher matcher = CHECKSUM.matcher(json);
        if (!matcher.find()) {
            return json;
        }
        String zeroed = json.substring(0, matcher.start(1)) + "00000000" + json.substring(matcher.end(1));
        CRC32C crc = new CRC32C();
        crc.update(zeroed.getBytes(StandardCharsets.ISO_8859_1));
        return json.substring(0, matcher.start(1))
                + String.format("%08x", crc.getValue())
                + json.substring(matcher.end(1));
    }
}
