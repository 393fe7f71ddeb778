package dev.cairn.cli;

import dev.cairn.processor.CheckpointView;
import dev.cairn.processor.Savepoints;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn convert}: any checkpoint to a canonical savepoint. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = "Writes a checkpoint (native or incremental RocksDB, changelog, or canonical) as a canonical"
                + " savepoint that every backend restores. Prints the savepoint's path.")
final class ConvertCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "<checkpoint>",
            description = "The checkpoint's directory or _metadata file (path or URI).")
    String pointer;

    @Option(
            names = "--to-savepoint",
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
            spec.commandLine().getOut().println(Savepoints.convert(view, target));
        }
        return CairnCli.OK;
    }
}
