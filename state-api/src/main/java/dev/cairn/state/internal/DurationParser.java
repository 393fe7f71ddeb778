package dev.cairn.state.internal;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/** Parses durations the way Flink's configuration does: {@code "10 min"}, {@code "30s"}, {@code "500"} (ms). */
public final class DurationParser {
    /** What the parser accepts, for error messages. */
    public static final String ALLOWED =
            "a non-negative duration: a number with an optional unit ns, us, ms, s, min, h, d (e.g. '10 min'; no unit = ms)";

    private static final Map<String, ChronoUnit> UNITS = Map.ofEntries(
            Map.entry("", ChronoUnit.MILLIS),
            Map.entry("ns", ChronoUnit.NANOS),
            Map.entry("nano", ChronoUnit.NANOS),
            Map.entry("nanos", ChronoUnit.NANOS),
            Map.entry("us", ChronoUnit.MICROS),
            Map.entry("micro", ChronoUnit.MICROS),
            Map.entry("micros", ChronoUnit.MICROS),
            Map.entry("ms", ChronoUnit.MILLIS),
            Map.entry("milli", ChronoUnit.MILLIS),
            Map.entry("millis", ChronoUnit.MILLIS),
            Map.entry("s", ChronoUnit.SECONDS),
            Map.entry("sec", ChronoUnit.SECONDS),
            Map.entry("secs", ChronoUnit.SECONDS),
            Map.entry("second", ChronoUnit.SECONDS),
            Map.entry("seconds", ChronoUnit.SECONDS),
            Map.entry("m", ChronoUnit.MINUTES),
            Map.entry("min", ChronoUnit.MINUTES),
            Map.entry("mins", ChronoUnit.MINUTES),
            Map.entry("minute", ChronoUnit.MINUTES),
            Map.entry("minutes", ChronoUnit.MINUTES),
            Map.entry("h", ChronoUnit.HOURS),
            Map.entry("hour", ChronoUnit.HOURS),
            Map.entry("hours", ChronoUnit.HOURS),
            Map.entry("d", ChronoUnit.DAYS),
            Map.entry("day", ChronoUnit.DAYS),
            Map.entry("days", ChronoUnit.DAYS));

    private DurationParser() {}

    /** Parses {@code text}; throws {@link IllegalArgumentException} when it is not a duration. */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < trimmed.length() && Character.isDigit(trimmed.charAt(split))) {
            split++;
        }
        ChronoUnit unit = UNITS.get(trimmed.substring(split).trim());
        if (split == 0 || unit == null) {
            throw new IllegalArgumentException("'" + text + "' is not " + ALLOWED);
        }
        try {
            return Duration.of(Long.parseLong(trimmed.substring(0, split)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large for a duration", e);
        }
    }

    /** The shortest exact form: {@code "10 min"}, {@code "1500 ms"}. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos % 86_400_000_000_000L == 0 && nanos != 0) {
            return duration.toDays() + " d";
        } else if (nanos % 3_600_000_000_000L == 0 && nanos != 0) {
            return duration.toHours() + " h";
        } else if (nanos % 60_000_000_000L == 0 && nanos != 0) {
            return duration.toMinutes() + " min";
        } else if (nanos % 1_000_000_000L == 0) {
            return duration.toSeconds() + " s";
        } else if (nanos % 1_000_000L == 0) {
            return duration.toMillis() + " ms";
        }
        return nanos + " ns";
    }
}
