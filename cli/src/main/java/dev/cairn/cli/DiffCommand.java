package dev.cairn.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cairn.processor.CheckpointDiff;
import dev.cairn.processor.CheckpointView;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn diff}: what changed between two checkpoints. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = "Shows, per keyed state, how many entries were added, removed, changed and left unchanged"
                + " between two checkpoints of the same job (same max parallelism).")
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<before>", description = "The earlier checkpoint.")
    String before;

    @Parameters(index = "1", paramLabel = "<after>", description = "The later checkpoint.")
    String after;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<CheckpointDiff.StateDiff> diffs;
        try (CheckpointView left = common.open(before);
                CheckpointView right = common.open(after)) {
            diffs = CheckpointDiff.compare(left, right);
        }
        if (json) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            for (CheckpointDiff.StateDiff diff : diffs) {
                array.addObject()
                        .put("operator", diff.operatorId())
                        .put("state", diff.state())
                        .put("added", diff.added())
                        .put("removed", diff.removed())
                        .put("changed", diff.changed())
                        .put("unchanged", diff.unchanged());
            }
            Json.print(out, array);
        } else {
            out.printf("%-20s %-32s %10s %10s %10s %10s%n", "OPERATOR", "STATE", "ADDED", "REMOVED", "CHANGED", "SAME");
            for (CheckpointDiff.StateDiff diff : diffs) {
                out.printf(
                        "%-20s %-32s %10d %10d %10d %10d%n",
                        diff.operatorId(),
                        diff.state(),
                        diff.added(),
                        diff.removed(),
                        diff.changed(),
                        diff.unchanged());
            }
        }
        return CairnCli.OK;
    }
}
