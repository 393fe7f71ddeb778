package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.cairn.processor.CheckpointView;
import dev.cairn.processor.KeyedEntry;
import dev.cairn.processor.OperatorEntry;
import dev.cairn.processor.OperatorView;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn dump}: the entries of one keyed state. */
@Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the entries of one keyed state or timer queue, decoded with the serializers the checkpoint"
                    + " records: JSON lines (one object per entry) or CSV.",
            "Map state prints one entry per map key; timers print their timestamp; TTL state its last write time."
        })
final class DumpCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        json,
        csv
    }

    @Parameters(
            paramLabel = "<checkpoint>",
            description = "The checkpoint's directory or _metadata file (path or URI).")
    String pointer;

    @Option(names = "--operator", required = true, description = "The operator's id.")
    String operator;

    @Option(
            names = "--state",
            required = true,
            description = "The keyed state's (or timer queue's, or operator state's) name.")
    String state;

    @Option(names = "--format", defaultValue = "json", description = "json (lines) or csv; default ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--limit", defaultValue = "-1", description = "Print at most this many entries.")
    long limit;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (CheckpointView view = common.open(pointer)) {
            OperatorView operatorView = view.operator(operator);
            if (!operatorView.keyedStates().stream()
                            .anyMatch(info -> info.name().equals(state))
                    && operatorView.operatorStates().contains(state)) {
                dumpOperatorState(operatorView, out);
            } else {
                try (Stream<KeyedEntry> entries = operatorView.entries(state)) {
                    dumpKeyed(entries, out);
                }
            }
        }
        out.flush();
        return CairnCli.OK;
    }

    private void dumpKeyed(Stream<KeyedEntry> entries, PrintWriter out) throws Exception {
        Stream<KeyedEntry> limited = limit >= 0 ? entries.limit(limit) : entries;
        Iterator<KeyedEntry> iterator = limited.iterator();
        if (format == Format.json) {
            while (iterator.hasNext()) {
                out.println(Json.MAPPER.writeValueAsString(Json.entry(iterator.next())));
            }
        } else {
            writeCsv(iterator, out);
        }
    }

    /** Operator state: one line (JSON) or row (CSV) per element, with the instance that held it. */
    private void dumpOperatorState(OperatorView operatorView, PrintWriter out) throws Exception {
        List<OperatorEntry> entries = operatorView.operatorStateEntries(state);
        List<OperatorEntry> limited = limit >= 0 ? entries.subList(0, (int) Math.min(limit, entries.size())) : entries;
        if (format == Format.json) {
            for (OperatorEntry entry : limited) {
                com.fasterxml.jackson.databind.node.ObjectNode node = Json.MAPPER.createObjectNode();
                node.put("instance", entry.instance());
                node.put("mode", entry.mode());
                node.set("value", Json.value(entry.value()));
                out.println(Json.MAPPER.writeValueAsString(node));
            }
            return;
        }
        try (SequenceWriter writer = csv(out, "instance", "mode", "value")) {
            for (OperatorEntry entry : limited) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("instance", entry.instance());
                row.put("mode", entry.mode());
                row.put("value", cell(Json.value(entry.value())));
                writer.write(row);
            }
        }
    }

    /** CSV with a header; complex values (lists, maps, objects) as JSON text in their cell. */
    private static void writeCsv(Iterator<KeyedEntry> entries, PrintWriter out) throws Exception {
        try (SequenceWriter writer = csv(out, "keyGroup", "key", "namespace", "value", "ttlTimestamp")) {
            while (entries.hasNext()) {
                KeyedEntry entry = entries.next();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("keyGroup", entry.keyGroup());
                row.put("key", cell(Json.value(entry.key())));
                row.put("namespace", cell(Json.value(entry.namespace())));
                row.put("value", cell(Json.value(entry.value())));
                row.put("ttlTimestamp", entry.ttlTimestamp() >= 0 ? entry.ttlTimestamp() : "");
                writer.write(row);
            }
        }
    }

    /** A CSV writer with a header row of {@code columns}; rows are maps by column; {@code out} stays open. */
    private static SequenceWriter csv(PrintWriter out, String... columns) throws java.io.IOException {
        CsvSchema.Builder schema = CsvSchema.builder();
        for (String column : columns) {
            schema.addColumn(column);
        }
        return new CsvMapper()
                .writer(schema.build().withHeader())
                .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValues(out);
    }

    private static String cell(JsonNode node) {
        if (node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
