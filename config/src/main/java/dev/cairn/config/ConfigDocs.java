package dev.cairn.config;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.MemorySize;
import java.time.Duration;
import java.util.List;

/** Generates the configuration reference ({@code docs/config.md}) from {@link KnownOptions}. */
public final class ConfigDocs {
    private ConfigDocs() {}

    /** {@return the whole {@code docs/config.md}} */
    public static String markdown() {
        return "# Configuration reference\n\n"
                + "Generated from the option definitions by `dev.cairn.config.ConfigDocs`; a test fails when this\n"
                + "file is out of date (regenerate with `./mvnw -pl config test -Dcairn.regenerateDocs=true`).\n\n"
                + "Keys are Flink's. Values are read from a YAML file (flat `a.b.c: v` or nested maps), from\n"
                + "environment variables `CAIRN_<KEY>` (upper case, `.` and `-` as `_`), and from code; later\n"
                + "sources win in that order. Deprecated keys are read when the current key is absent, with a\n"
                + "warning.\n\n"
                + table();
    }

    /** {@return the options table alone (also embedded in the README)} */
    public static String table() {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | deprecated keys | description |\n").append("|---|---|---|---|---|\n");
        for (ConfigOption<?> option : KnownOptions.all()) {
            out.append("| `").append(option.key()).append("` | ");
            out.append(typeName(option.type())).append(" | ");
            out.append(option.hasDefaultValue() ? "`" + format(option.defaultValue()) + "`" : "—")
                    .append(" | ");
            out.append(deprecated(option.deprecatedKeys())).append(" | ");
            out.append(option.description().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == Duration.class) {
            return "duration";
        } else if (type == MemorySize.class) {
            return "memory size";
        } else if (type.isEnum()) {
            StringBuilder values = new StringBuilder("enum: ");
            Object[] constants = type.getEnumConstants();
            for (int i = 0; i < constants.length; i++) {
                values.append(i == 0 ? "" : ", ").append(constants[i]);
            }
            return values.toString();
        }
        return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static String format(Object value) {
        if (value instanceof Duration duration) {
            return dev.cairn.state.Configuration.fromMap(java.util.Map.of())
                    .set(ExecutionOptions.CHECKPOINTING_INTERVAL, duration)
                    .toMap()
                    .get(ExecutionOptions.CHECKPOINTING_INTERVAL.key());
        }
        return String.valueOf(value);
    }

    private static String deprecated(List<String> keys) {
        if (keys.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            out.append(out.length() == 0 ? "" : ", ").append('`').append(key).append('`');
        }
        return out.toString();
    }
}
