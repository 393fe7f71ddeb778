package dev.cairn.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.checkpoint.FileStateHandle;
import dev.cairn.processor.CheckpointView;
import dev.cairn.processor.VerifyReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn verify}: is a checkpoint intact. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks that every file a checkpoint references exists with its recorded length and CRC32C;"
                    + " --deep also decodes every keyed-state entry.",
            "Exits with 1 and names each bad file when something is wrong."
        })
final class VerifyCommand implements Callable<Integer> {
    private static final int MIB = 1024 * 1024;

    @Parameters(
            paramLabel = "<checkpoint>",
            description = "The checkpoint's directory or _metadata file (path or URI).")
    String pointer;

    @Option(names = "--deep", description = "Also decode every keyed-state entry with the recorded serializers.")
    boolean deep;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        VerifyReport report;
        long start;
        try (CheckpointView view = common.open(pointer)) {
            start = System.nanoTime(); // the reading rate: without opening the metadata
            long total = view.files().stream()
                    .mapToLong(FileStateHandle::getStateSize)
                    .sum();
            if (System.console() != null && !json) {
                // On a terminal: a progress bar with throughput and ETA (on standard error).
                try (ProgressBar bar = new ProgressBarBuilder()
                        .setTaskName("verify")
                        .setInitialMax(Math.max(1, total))
                        .setUnit(" MiB", MIB)
                        .showSpeed()
                        .setStyle(ProgressBarStyle.ASCII)
                        .build()) {
                    report = view.verify(deep, file -> bar.stepBy(file.getStateSize()));
                }
            } else {
                report = view.verify(deep, plainProgress(err, view.files().size(), total));
            }
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        if (json) {
            Json.print(out, toJson(report));
        } else {
            for (VerifyReport.Problem problem : report.problems()) {
                out.println("BAD " + problem.where() + ": " + problem.message());
            }
            out.printf(
                    "%s: %d files, %s%s in %.2f s (%s/s)%n",
                    report.intact() ? "intact" : report.problems().size() + " problem(s)",
                    report.files(),
                    Sizes.human(report.bytes()),
                    deep ? ", " + report.entries() + " entries decoded" : "",
                    seconds,
                    Sizes.human((long) (report.bytes() / seconds)));
        }
        return report.intact() ? CairnCli.OK : CairnCli.PROBLEMS;
    }

    /** Not on a terminal: one log line per file, for logs and CI. */
    private static Consumer<FileStateHandle> plainProgress(PrintWriter err, int files, long total) {
        long[] done = new long[2];
        return file -> {
            done[0]++;
            done[1] += file.getStateSize();
            err.printf("verified %d/%d files, %s of %s%n", done[0], files, Sizes.human(done[1]), Sizes.human(total));
        };
    }

    private static ObjectNode toJson(VerifyReport report) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("intact", report.intact());
        root.put("files", report.files());
        root.put("bytes", report.bytes());
        root.put("entries", report.entries());
        ArrayNode problems = root.putArray("problems");
        for (VerifyReport.Problem problem : report.problems()) {
            problems.addObject().put("where", problem.where()).put("message", problem.message());
        }
        return root;
    }
}
