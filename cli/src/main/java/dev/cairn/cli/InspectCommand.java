package dev.cairn.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.processor.CheckpointView;
import dev.cairn.processor.OperatorView;
import dev.cairn.processor.StateInfo;
import java.io.PrintWriter;
import java.time.Instant;
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
        description = "Shows a checkpoint's operators, states, formats, sizes and files.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "<checkpoint>",
            description = "The checkpoint's directory or _metadata file (path or URI).")
    String pointer;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (CheckpointView view = common.open(pointer)) {
            if (json) {
                Json.print(out, toJson(view));
            } else {
                printTable(view, out);
            }
        }
        return CairnCli.OK;
    }

    private static ObjectNode toJson(CheckpointView view) throws Exception {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("pointer", view.pointer());
        root.put("checkpointId", view.checkpointId());
        root.put("timestamp", Instant.ofEpochMilli(view.timestamp()).toString());
        root.put("type", view.isSavepoint() ? "savepoint" : "checkpoint");
        root.put("stateSize", view.stateSize());
        root.put("files", view.files().size());
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
            ArrayNode states = node.putArray("keyedStates");
            for (StateInfo state : operator.keyedStates()) {
                ObjectNode stateNode = states.addObject();
                stateNode.put("name", state.name());
                stateNode.put("kind", state.kind());
                stateNode.put("ttl", state.ttl());
                stateNode.put("namespaceSerializer", state.namespaceSerializer());
                state.valueSerializers().forEach(stateNode.putArray("valueSerializers")::add);
            }
            operator.operatorStates().forEach(node.putArray("operatorStates")::add);
        }
        return root;
    }

    private static void printTable(CheckpointView view, PrintWriter out) throws Exception {
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
            if (!operator.keyedStates().isEmpty()) {
                out.printf("  %-32s %-12s %-4s %s%n", "KEYED STATE", "KIND", "TTL", "VALUE SERIALIZERS");
                for (StateInfo state : operator.keyedStates()) {
                    out.printf(
                            "  %-32s %-12s %-4s %s%n",
                            state.name(),
                            state.kind(),
                            state.ttl() ? "yes" : "no",
                            state.valueSerializers().stream()
                                    .map(InspectCommand::shortName)
                                    .toList());
                }
            }
            for (String name : operator.operatorStates()) {
                out.printf("  operator state %s%n", name);
            }
        }
    }

    private static String shortName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
