package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.processor.KeyedEntry;
import dev.cairn.state.VoidNamespace;
import java.util.List;
import java.util.Map;

/** JSON for scripts: one mapper, and how entries look. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    /** Prints a document for people and scripts: indented JSON. */
    static void print(java.io.PrintWriter out, JsonNode document) throws java.io.IOException {
        out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    }

    /** A state value as JSON: records and beans as objects, map entries as {@code {"key":…,"value":…}}. */
    static JsonNode value(Object value) {
        if (value instanceof VoidNamespace) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (value instanceof Map.Entry<?, ?> entry) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.set("key", value(entry.getKey()));
            node.set("value", value(entry.getValue()));
            return node;
        }
        if (value instanceof List<?> list) {
            var array = JsonNodeFactory.instance.arrayNode();
            list.forEach(element -> array.add(value(element)));
            return array;
        }
        return MAPPER.valueToTree(value);
    }

    /** One entry as a JSON object. */
    static ObjectNode entry(KeyedEntry entry) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("keyGroup", entry.keyGroup());
        node.set("key", value(entry.key()));
        node.set("namespace", value(entry.namespace()));
        node.set("value", value(entry.value()));
        if (entry.ttlTimestamp() >= 0) {
            node.put("ttlTimestamp", entry.ttlTimestamp());
        }
        return node;
    }
}
