package dev.cairn.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SPI packages are contracts for other people's code: every public and protected type, method and parameter of
 * {@code dev.cairn.state.spi} (backends) and {@code dev.cairn.checkpoint.fs} (file systems) is documented. Runs
 * javac's doclint with all checks (including missing comments and tags) on the module's sources, restricted to the
 * package. (The build's own doclint leaves out the {@code missing} group, which the other API packages do not pass
 * yet.)
 */
class SpiJavadocTest {
    @TempDir
    Path classes;

    @ParameterizedTest(name = "{1}")
    @CsvSource({"state-api, dev.cairn.state.spi", "checkpoint-storage, dev.cairn.checkpoint.fs"})
    void everyPublicMemberOfTheSpiIsDocumented(String module, String spiPackage) throws IOException {
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
                "-Xdoclint/package:" + spiPackage,
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
        String packageDirectory = "/" + spiPackage.replace('.', '/') + "/";
        assertThat(output.lines().filter(line -> line.contains(packageDirectory)))
                .as("doclint findings in " + spiPackage)
                .isEmpty();
    }
}
