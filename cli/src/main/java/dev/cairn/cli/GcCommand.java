package dev.cairn.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.processor.CheckpointGarbage;
import java.io.Console;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn gc}: what crashes left in a job's checkpoint directory. */
@Command(
        name = "gc",
        mixinStandardHelpOptions = true,
        description = {
            "Lists (and deletes, after confirmation or with --yes) the files of a job's checkpoint directory that no"
                    + " retained checkpoint references: uploads of checkpoints that never completed, in shared/,"
                    + " taskowned/ and chk-* directories without _metadata; with state.changelog.dstl.dfs.base-path"
                    + " set (-c), also the job's changelog files no retained checkpoint references"
                    + " (<base-path>/<job>).",
            "Takes the directory's ownership lease first (fails while a job runs there), deletes nothing while a"
                    + " checkpoint cannot be read, and never touches a file a retained checkpoint references."
        })
final class GcCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "<job-directory>",
            description = "The directory holding the job's chk-*, shared/ and taskowned/ (path or URI).")
    String directory;

    @Option(names = "--dry-run", description = "Only list what would be deleted.")
    boolean dryRun;

    @Option(names = "--yes", description = "Delete without asking.")
    boolean yes;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<CheckpointGarbage.Garbage> garbage;
        boolean delete;
        if (yes && !dryRun) {
            garbage = CheckpointGarbage.collect(directory, common.configuration(), true);
            delete = !garbage.isEmpty();
        } else {
            garbage = CheckpointGarbage.collect(directory, common.configuration(), false);
            // After a confirmation the directory is scanned again, under the lease, and what is found then is deleted.
            delete = !dryRun && !garbage.isEmpty() && confirm(garbage);
            if (delete) {
                garbage = CheckpointGarbage.collect(directory, common.configuration(), true);
            }
        }
        long bytes = garbage.stream().mapToLong(CheckpointGarbage.Garbage::size).sum();
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("deleted", delete);
            root.put("bytes", bytes);
            ArrayNode files = root.putArray("files");
            for (CheckpointGarbage.Garbage file : garbage) {
                files.addObject()
                        .put("path", file.path())
                        .put("size", file.size())
                        .put("reason", file.reason());
            }
            Json.print(out, root);
        } else {
            for (CheckpointGarbage.Garbage file : garbage) {
                out.printf("%10s  %s  (%s)%n", Sizes.human(file.size()), file.path(), file.reason());
            }
            out.printf(
                    "%s %d file(s), %s%n",
                    delete ? "deleted" : (garbage.isEmpty() ? "no garbage:" : "would delete"),
                    garbage.size(),
                    Sizes.human(bytes));
        }
        if (!dryRun && !yes && !delete && !garbage.isEmpty()) {
            spec.commandLine().getErr().println("cairn: nothing deleted (pass --yes, or confirm on a terminal)");
            return CairnCli.PROBLEMS;
        }
        return CairnCli.OK;
    }

    private boolean confirm(List<CheckpointGarbage.Garbage> garbage) {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        String answer = console.readLine(
                "Delete %d file(s), %s? [y/N] ",
                garbage.size(),
                Sizes.human(garbage.stream()
                        .mapToLong(CheckpointGarbage.Garbage::size)
                        .sum()));
        return answer != null && answer.trim().equalsIgnoreCase("y");
    }
}
