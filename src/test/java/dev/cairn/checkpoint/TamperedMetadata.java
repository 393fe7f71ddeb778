package dev.cairn.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Edits a {@code _metadata} file the way someone who knows its format would: the edit is followed by a correct
 * checksum, so only the content checks (paths, offsets, ranges, ids) stand between it and a restore.
 */
final class TamperedMetadata {
    private static final Pattern CHECKSUM = Pattern.compile("\"checksum\"\\s*:\\s*\"([0-9a-f]{8})\"");

    private TamperedMetadata() {}

    static void rewrite(Path metadata, UnaryOperator<String> edit) throws IOException {
        String edited = edit.apply(Files.readString(metadata, StandardCharsets.ISO_8859_1));
        Matcher matcher = CHECKSUM.matcher(edited);
        if (!matcher.find()) {
            Files.writeString(metadata, edited, StandardCharsets.ISO_8859_1);
            return;
        }
        String zeroed = edited.substring(0, matcher.start(1)) + "00000000" + edited.substring(matcher.end(1));
        CRC32C crc = new CRC32C();
        crc.update(zeroed.getBytes(StandardCharsets.ISO_8859_1));
        String fixed = edited.substring(0, matcher.start(1))
                + String.format("%08x", crc.getValue())
                + edited.substring(matcher.end(1));
        Files.writeString(metadata, fixed, StandardCharsets.ISO_8859_1);
    }
}
