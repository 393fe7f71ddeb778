package dev.cairn.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.checkpoint.FileStateHandle;
import dev.cairn.processor.CheckpointView;
import dev.cairn.processor.OperatorView;
import dev.cairn.processor.StateInfo;
import dev.cairn.processor.StateSize;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn inspect}: what a checkpoint holds. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Shows a checkpoint's operators, states, formats, key-group ranges, sizes and files.",
            "The entries and bytes of each keyed state are counted by reading the state once (native RocksDB and"
                    + " changelog checkpoints are converted first); --no-state-sizes shows only what the metadata"
                    + " records."
        })
final class InspectCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "<checkpoint>",
            description = "The checkpoint's directory or _metadata file (path or URI).")
    String pointer;

    @Option(names = "--json", description = "Print JSON instead of a table (it always lists the files).")
    boolean json;

    @Option(names = "--files", description = "List every referenced file with its size.")
    boolean files;

    @Option(names = "--no-state-sizes", description = "Do not read the state to count entries and bytes per state.")
    boolean noStateSizes;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (CheckpointView view = common.open(pointer)) {
            if (json) {
                Json.print(out, toJson(view, !noStateSizes));
            } else {
                printTable(view, out, files, !noStateSizes);
            }
        }
        return CairnCli.OK;
    }

    private static ObjectNode toJson(CheckpointView view, boolean stateSizes) throws Exception {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("pointer", view.pointer());
        root.put("checkpointId", view.checkpointId());
        root.put("timestamp", Instant.ofEpochMilli(view.timestamp()).toString());
        root.put("type", view.isSavepoint() ? "savepoint" : "checkpoint");
        root.put("stateSize", view.stateSize());
        ArrayNode fileList = root.putArray("files");
        for (FileStateHandle file : view.files()) {
            ObjectNode node = fileList.addObject();
            node.put("path", file.getPath().toString());
            node.put("size", file.getStateSize());
            node.put("scope", file.getScope().name());
        }
        ArrayNode operators = root.putArray("operators");
        for (OperatorView operator : view.operators()) {
            ObjectNode node = operators.addObject();
            node.put("id", operator.id());
            operator.formats().forEach(node.putArray("formats")::add);
            node.put("keyedInstances", operator.keyedInstances());
            node.put("operatorInstances", operator.operatorInstances());
            OptionalInt maxParallelism = operator.maxParallelism();
            if (maxParallelism.isPresent()) {
                node.put("maxParallelism", maxParallelism.getAsInt());
            }
            node.put("keyedStateSize", operator.keyedStateSize());
            node.put("operatorStateSize", operator.operatorStateSize());
            ArrayNode ranges = node.putArray("keyGroupRanges");
            operator.keyGroupRanges()
                    .forEach(range -> ranges.addArray().add(range[0]).add(range[1]));
            Map<String, StateSize> sizes = stateSizes ? operator.stateSizes() : Map.of();
            ArrayNode states = node.putArray("keyedStates");
            for (StateInfo state : operator.keyedStates()) {
                ObjectNode stateNode = states.addObject();
                stateNode.put("name", state.name());
                stateNode.put("kind", state.kind());
                stateNode.put("ttl", state.ttl());
                StateSize size = sizes.get(state.name());
                if (size != null) {
                    stateNode.put("entries", size.entries());
                    stateNode.put("bytes", size.bytes());
                }
                stateNode.put("namespaceSerializer", state.namespaceSerializer());
                state.valueSerializers().forEach(stateNode.putArray("valueSerializers")::add);
            }
            operator.operatorStates().forEach(node.putArray("operatorStates")::add);
        }
        return root;
    }

    private static void printTable(CheckpointView view, PrintWriter out, boolean listFiles, boolean stateSizes)
            throws Exception {
        out.printf(
                "%s %d of %s%n  %s%n  %s in %d files%n",
                view.isSavepoint() ? "Savepoint" : "Checkpoint",
                view.checkpointId(),
                Instant.ofEpochMilli(view.timestamp()),
                view.pointer(),
                Sizes.human(view.stateSize()),
                view.files().size());
        for (OperatorView operator : view.operators()) {
            OptionalInt maxParallelism = operator.maxParallelism();
            out.printf(
                    "%nOperator %s: %s, %d keyed instance(s)%s, keyed %s, operator state %s%n",
                    operator.id(),
                    operator.formats().isEmpty() ? "no keyed state" : String.join("+", operator.formats()),
                    operator.keyedInstances(),
                    maxParallelism.isPresent() ? ", max parallelism " + maxParallelism.getAsInt() : "",
                    Sizes.human(operator.keyedStateSize()),
                    Sizes.human(operator.operatorStateSize()));
            if (operator.keyedInstances() > 0) {
                out.printf(
                        "  key groups %s%n",
                        String.join(
                                ", ",
                                operator.keyGroupRanges().stream()
                                        .map(range -> range[0] + "-" + range[1])
                                        .toList()));
            }
            if (!operator.keyedStates().isEmpty()) {
                Map<String, StateSize> sizes = stateSizes ? operator.stateSizes() : Map.of();
                out.printf(
                        "  %-32s %-12s %-4s %12s %10s %s%n",
                        "KEYED STATE", "KIND", "TTL", "ENTRIES", "BYTES", "VALUE SERIALIZERS");
                for (StateInfo state : operator.keyedStates()) {
                    StateSize size = sizes.get(state.name());
                    out.printf(
                            "  %-32s %-12s %-4s %12s %10s %s%n",
                            state.name(),
                            state.kind(),
                            state.ttl() ? "yes" : "no",
                            size == null ? "-" : String.format("%,d", size.entries()),
                            size == null ? "-" : Sizes.human(size.bytes()),
                            state.valueSerializers().stream()
                                    .map(InspectCommand::shortName)
                                    .toList());
                }
            }
            for (String name : operator.operatorStates()) {
                out.printf("  operator state %s%n", name);
            }
        }
        if (listFiles) {
            out.printf("%n  %-10s %10s %s%n", "SCOPE", "SIZE", "FILE");
            for (FileStateHandle file : view.files()) {
                out.printf("  %-10s %10s %s%n", file.getScope(), Sizes.human(file.getStateSize()), file.getPath());
            }
        }
    }

    private static String shortName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
