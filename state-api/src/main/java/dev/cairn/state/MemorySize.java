package dev.cairn.state;

import java.util.Locale;

/**
 * An amount of memory in bytes, parsed from strings like {@code "4096"}, {@code "20kb"}, {@code "64 mb"},
 * {@code "1g"} (units are powers of 1024; case-insensitive; no unit means bytes).
 */
public final class MemorySize implements Comparable<MemorySize> {
    private static final String ALLOWED =
            "a non-negative memory size: a number with an optional unit b, k/kb, m/mb, g/gb, t/tb (e.g. '64mb')";

    private final long bytes;

    private MemorySize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("A memory size cannot be negative: " + bytes);
        }
        this.bytes = bytes;
    }

    /**
     * A size in bytes.
     *
     * @param bytes the number of bytes
     * @return the size
     */
    public static MemorySize ofBytes(long bytes) {
        return new MemorySize(bytes);
    }

    /**
     * A size in kibibytes.
     *
     * @param kibiBytes the number of kibibytes (1024 bytes)
     * @return the size
     */
    public static MemorySize ofKibiBytes(long kibiBytes) {
        return new MemorySize(Math.multiplyExact(kibiBytes, 1024L));
    }

    /**
     * A size in mebibytes.
     *
     * @param mebiBytes the number of mebibytes (1024 KiB)
     * @return the size
     */
    public static MemorySize ofMebiBytes(long mebiBytes) {
        return new MemorySize(Math.multiplyExact(mebiBytes, 1024L * 1024));
    }

    /**
     * Parses a memory size.
     *
     * @throws IllegalArgumentException naming the text and the accepted form
     * @param text a size with an optional unit
     * @return the size
     */
    public static MemorySize parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < trimmed.length() && Character.isDigit(trimmed.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("'" + text + "' is not " + ALLOWED);
        }
        long multiplier;
        switch (trimmed.substring(split).trim()) {
            case "", "b", "bytes" -> multiplier = 1;
            case "k", "kb", "kib", "kibibytes" -> multiplier = 1L << 10;
            case "m", "mb", "mib", "mebibytes" -> multiplier = 1L << 20;
            case "g", "gb", "gib", "gibibytes" -> multiplier = 1L << 30;
            case "t", "tb", "tib", "tebibytes" -> multiplier = 1L << 40;
            default -> throw new IllegalArgumentException("'" + text + "' is not " + ALLOWED);
        }
        try {
            return new MemorySize(Math.multiplyExact(Long.parseLong(trimmed.substring(0, split)), multiplier));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is too large: a memory size is at most 8 EiB (2^63 - 1 bytes)", e);
        }
    }

    /** {@return the size in bytes} */
    public long getBytes() {
        return bytes;
    }

    @Override
    public int compareTo(MemorySize o) {
        return Long.compare(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemorySize && ((MemorySize) o).bytes == bytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytes);
    }

    /** The largest exact unit: {@code "20kb"}, {@code "4096b"}. */
    @Override
    public String toString() {
        String[] units = {"b", "kb", "mb", "gb", "tb"};
        long value = bytes;
        int unit = 0;
        while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }
}
