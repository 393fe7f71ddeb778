package dev.cairn.cli;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.StateMigrationException;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cairn}: offline tools for Cairn checkpoints and savepoints.
 *
 * <p>Exit codes: {@value #OK} success; {@value #PROBLEMS} the command ran and found problems (a damaged file);
 * {@value #USAGE} bad command line; {@value #BAD_INPUT} bad input (not a checkpoint, corrupt metadata, unknown
 * operator or state, a missing class, a checkpoint directory a running job owns); {@value #FAILURE} any other failure. Errors are one line on standard error;
 * {@code --verbose} adds the stack trace.
 */
@Command(
        name = "cairn",
        mixinStandardHelpOptions = true,
        versionProvider = CairnCli.Version.class,
        description = "Offline tools for Cairn checkpoints and savepoints.",
        subcommands = {
            InspectCommand.class,
            VerifyCommand.class,
            DumpCommand.class,
            ConvertCommand.class,
            RescaleCommand.class,
            GcCommand.class,
            DiffCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:problems found (e.g. a damaged file)",
            "2:bad command line",
            "3:bad input: not a checkpoint, corrupt metadata, unknown operator or state, missing class, a directory"
                    + " another process owns",
            "4:any other failure"
        })
public final class CairnCli {
    /** Success. */
    public static final int OK = 0;
    /** The command ran and found problems. */
    public static final int PROBLEMS = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** Bad input. */
    public static final int BAD_INPUT = 3;
    /** Any other failure. */
    public static final int FAILURE = 4;

    private CairnCli() {}

    /**
     * Runs {@code cairn} and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs {@code cairn} without exiting.
     *
     * @param args the command line
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        // Library logging goes to standard error and stays quiet unless asked for.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        CommandLine commandLine = new CommandLine(new CairnCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println("cairn: " + message(exception));
            if (verbose) {
                // The stack trace goes to the log (standard error), like every other diagnostic of --verbose.
                LoggerFactory.getLogger(CairnCli.class).error("cairn failed", exception);
            }
            return exitCode(exception);
        });
        return commandLine.execute(args);
    }

    private static String message(Throwable exception) {
        Throwable shown = exception;
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String text = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        if (shown instanceof NoSuchFileException || shown instanceof FileNotFoundException) {
            return "no such file: " + text;
        }
        if (shown instanceof ClassNotFoundException || shown instanceof NoClassDefFoundError) {
            return "missing class " + text + " (add the application's jar with --classpath)";
        }
        String line = text.lines().findFirst().orElse(text);
        for (Throwable cause = shown.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ClassNotFoundException || cause instanceof NoClassDefFoundError) {
                return line + " (add the application's jar with --classpath)";
            }
        }
        return line;
    }

    private static int exitCode(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof CorruptCheckpointException
                    || cause instanceof dev.cairn.checkpoint.CheckpointOwnershipException
                    || cause instanceof IllegalConfigurationException
                    || cause instanceof StateMigrationException
                    || cause instanceof IllegalArgumentException
                    || cause instanceof NoSuchFileException
                    || cause instanceof FileNotFoundException
                    || cause instanceof ClassNotFoundException
                    || cause instanceof NoClassDefFoundError) {
                return BAD_INPUT;
            }
        }
        return FAILURE;
    }

    /** The version of the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CairnCli.class.getPackage().getImplementationVersion();
            return new String[] {"cairn " + (version == null ? "(development build)" : version)};
        }
    }
}
