package dev.cairn.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.state.ConfigOption;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads configuration: YAML files with flat keys ({@code state.backend.type: rocksdb}) or nested maps
 * ({@code state: {backend: {type: rocksdb}}}), and environment variables {@code CAIRN_<KEY>} (the key upper-cased,
 * dots and dashes as underscores: {@code CAIRN_STATE_BACKEND_TYPE}) that override single known keys.
 *
 * <p>Precedence, lowest first: option defaults, the file, environment variables, programmatic settings.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Key prefixes Cairn owns: unknown keys below them are probably typos. */
    private static final List<String> OWNED_PREFIXES = List.of("state.", "execution.", "pipeline.", "s3.", "kafka.");

    private ConfigLoader() {}

    /**
     * Loads a YAML file.
     *
     * @throws IllegalConfigurationException naming the file when it cannot be read or parsed, or defines a key
     *     twice
     * @param file the YAML file
     * @return its entries as a configuration
     */
    public static Configuration loadYaml(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalConfigurationException("Cannot read configuration file " + file + ": " + e, e);
        }
        return parseYaml(text, file.toString());
    }

    /**
     * Parses YAML text; {@code source} names it in errors.
     *
     * @param yaml the YAML text
     * @param source names the text in errors (a file name)
     * @return its entries as a configuration
     */
    public static Configuration parseYaml(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalConfigurationException(
                    "Configuration file " + source + " is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            LOG.warn("Configuration file {} is empty: every key keeps its default", source);
        } else {
            if (!root.isObject()) {
                throw new IllegalConfigurationException(
                        "Configuration file " + source + " must hold a map of keys to values");
            }
            flatten("", root, flat, source);
        }
        return Configuration.fromMap(flat);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into, String source) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, into, source);
                continue;
            }
            String text;
            if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                text = String.join(";", items);
            } else if (value.isNull()) {
                continue;
            } else {
                text = value.asText();
            }
            if (into.put(key, text) != null) {
                throw new IllegalConfigurationException("Key '" + key + "' is defined twice in " + source);
            }
        }
    }

    /**
     * Applies {@code CAIRN_<KEY>} environment variables for every known option.
     *
     * @param configuration the configuration to start from
     * @param environment the environment variables
     * @return a new configuration with the variables applied
     */
    public static Configuration applyEnvironment(Configuration configuration, Map<String, String> environment) {
        Configuration result = new Configuration(configuration);
        for (ConfigOption<?> option : KnownOptions.all()) {
            String variable = environmentVariable(option.key());
            String value = environment.get(variable);
            if (value != null) {
                LOG.info("Configuration key '{}' set from environment variable {}", option.key(), variable);
                result.setString(option.key(), value);
            }
        }
        return result;
    }

    /**
     * {@return the environment variable that overrides {@code key}: {@code CAIRN_} + upper-cased key, [.-] as _}
     *
     * @param key an option's key
     */
    public static String environmentVariable(String key) {
        return "CAIRN_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Logs (and returns) a warning for every key under a prefix Cairn owns that no option knows, naming the
     * closest known key.
     *
     * @param configuration the configuration to check
     * @return the warnings, one per unknown key
     */
    public static List<String> warnAboutUnknownKeys(Configuration configuration) {
        List<String> known = new ArrayList<>();
        for (ConfigOption<?> option : KnownOptions.all()) {
            known.add(option.key());
            known.addAll(option.deprecatedKeys());
        }
        List<String> warnings = new ArrayList<>();
        for (String key : configuration.keySet()) {
            if (known.contains(key) || OWNED_PREFIXES.stream().noneMatch(key::startsWith)) {
                continue;
            }
            // Prefer a key of the same family: 's3.acess-key' is a typo of an s3 key, whatever else is close.
            String family = key.substring(0, key.indexOf('.') + 1);
            String closest = null;
            for (String candidate : known) {
                boolean sameFamily = candidate.startsWith(family);
                boolean closestSameFamily = closest != null && closest.startsWith(family);
                if (closest == null
                        || (sameFamily && !closestSameFamily)
                        || (sameFamily == closestSameFamily && distance(key, candidate) < distance(key, closest))) {
                    closest = candidate;
                }
            }
            String warning = closest != null && closest.startsWith(family)
                    ? "Unknown configuration key '" + key + "' (ignored); did you mean '" + closest + "'?"
                    : "Unknown configuration key '" + key + "' (ignored): Cairn has no '" + family + "' keys"
                            + " in this build (is a module missing from the classpath?)";
            LOG.warn(warning);
            warnings.add(warning);
        }
        return warnings;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
