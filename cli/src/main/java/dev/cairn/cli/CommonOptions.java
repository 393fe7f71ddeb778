package dev.cairn.cli;

import dev.cairn.config.ConfigLoader;
import dev.cairn.processor.CheckpointView;
import dev.cairn.processor.Checkpoints;
import dev.cairn.state.Configuration;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command takes: settings, the application's classes, verbosity. */
final class CommonOptions {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "<file>",
            description = "A YAML configuration (e.g. s3.endpoint, s3.access-key, state.changelog.dstl.dfs.base-path).")
    Path config;

    @Option(
            names = "--classpath",
            paramLabel = "<jars>",
            split = ":",
            description = "Jars or directories with the application's classes, for serializers that name them.")
    List<Path> classpath = new ArrayList<>();

    @Option(
            names = {"-v", "--verbose"},
            description = "Log what happens and print stack traces of errors.")
    boolean verbose;

    /** The configuration: the file's, plus {@code CAIRN_*} environment variables. */
    Configuration configuration() {
        Configuration configuration = config == null ? new Configuration() : ConfigLoader.loadYaml(config);
        return ConfigLoader.applyEnvironment(configuration, System.getenv());
    }

    ClassLoader classLoader() {
        if (classpath.isEmpty()) {
            return CommonOptions.class.getClassLoader();
        }
        List<URL> urls = new ArrayList<>();
        for (Path path : classpath) {
            try {
                urls.add(path.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("Not a valid class path entry: " + path, e);
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), CommonOptions.class.getClassLoader());
    }

    CheckpointView open(String pointer) throws IOException {
        return Checkpoints.open(pointer, configuration(), classLoader());
    }
}
