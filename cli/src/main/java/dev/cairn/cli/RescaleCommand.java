package dev.cairn.cli;

import dev.cairn.processor.CheckpointView;
import dev.cairn.processor.OperatorView;
import dev.cairn.processor.Savepoints;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn rescale}: a savepoint for a new parallelism and max parallelism. */
@Command(
        name = "rescale",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a canonical savepoint of a checkpoint re-partitioned for a new parallelism and, with"
                    + " --max-parallelism, a new number of key groups: every key is hashed into the new key groups,"
                    + " so a restore with the new max parallelism finds it. Prints the savepoint's path."
        })
final class RescaleCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "<checkpoint>",
            description = "The checkpoint's directory or _metadata file (path or URI).")
    String pointer;

    @Option(names = "--parallelism", required = true, description = "The new number of instances.")
    int parallelism;

    @Option(names = "--max-parallelism", description = "The new number of key groups (default: the checkpoint's).")
    Integer maxParallelism;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "<dir>",
            description = "The directory the savepoint is created in.")
    String target;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (CheckpointView view = common.open(pointer)) {
            int keyGroups = maxParallelism != null ? maxParallelism : currentMaxParallelism(view);
            spec.commandLine().getOut().println(Savepoints.rescale(view, parallelism, keyGroups, target));
        }
        return CairnCli.OK;
    }

    private static int currentMaxParallelism(CheckpointView view) throws Exception {
        for (OperatorView operator : view.operators()) {
            OptionalInt maxParallelism = operator.maxParallelism();
            if (maxParallelism.isPresent()) {
                return maxParallelism.getAsInt();
            }
        }
        throw new IllegalArgumentException(
                view.pointer() + " holds no keyed state; pass --max-parallelism to choose the key groups");
    }
}
