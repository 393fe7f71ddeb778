package dev.cairn.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every package a module exports is a promise to other people's code, so every public and protected type, method,
 * parameter, return value and checked exception in it is documented: the API ({@code dev.cairn.state}, the
 * backends' and storages' packages, {@code dev.cairn.config}), the SPI ({@code dev.cairn.state.spi},
 * {@code dev.cairn.checkpoint.fs}) and the shared support layer ({@code dev.cairn.state.support}). Runs javac's
 * doclint with all checks (including missing comments and tags) on the module's sources, restricted to the package.
 * (The build's own compile runs doclint without the {@code missing} group, so internal packages need not document
 * every parameter.)
 */
class ApiJavadocTest {
    @TempDir
    Path classes;

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "state-api, dev.cairn.state",
        "state-api, dev.cairn.state.spi",
        "state-api, dev.cairn.state.metrics",
        "state-api, dev.cairn.state.support",
        "state-heap, dev.cairn.state.heap",
        "state-rocksdb, dev.cairn.state.rocksdb",
        "checkpoint-storage, dev.cairn.checkpoint",
        "checkpoint-storage, dev.cairn.checkpoint.fs",
        "checkpoint-storage-s3, dev.cairn.checkpoint.s3",
        "changelog, dev.cairn.changelog",
        "config, dev.cairn.config",
        "state-processor, dev.cairn.processor",
        "kafka, dev.cairn.kafka",
        "metrics-micrometer, dev.cairn.metrics.micrometer"
    })
    void everyPublicMemberOfAnExportedPackageIsDocumented(String module, String exportedPackage) throws IOException {
        Path sources = Path.of("..", module, "src", "main", "java");
        assertThat(sources)
                .as("the module's sources, seen from the integration-tests module")
                .isDirectory();
        List<String> arguments = new ArrayList<>(List.of(
                "-d",
                classes.toString(),
                "-classpath",
                System.getProperty("java.class.path"),
                "-Xdoclint:all/protected",
                "-Xdoclint/package:" + exportedPackage,
                "-Xmaxwarns",
                "10000"));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.getFileName().toString().equals("module-info.java"))
                    .forEach(file -> arguments.add(file.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = javac.run(null, bytes, bytes, arguments.toArray(String[]::new));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        // Findings of this package only, not of its subpackages (an internal package's path starts the same way).
        Pattern inPackage = Pattern.compile("/" + Pattern.quote(exportedPackage.replace('.', '/')) + "/[^/]+\\.java:");
        assertThat(output.lines().filter(line -> inPackage.matcher(line).find()))
                .as("doclint findings in " + exportedPackage)
                .isEmpty();
    }
}
