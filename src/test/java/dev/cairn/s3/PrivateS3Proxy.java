package dev.cairn.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An S3Proxy process of a test's own (same jar as the shared one), which the test may kill and restart on the same
 * port and data directory, as a store that goes away and comes back.
 */
public final class PrivateS3Proxy implements AutoCloseable {
    private final Path directory;
    private final int port;
    private Process process;

    public PrivateS3Proxy(Path directory) throws IOException {
        this(directory, S3TestServer.accessKey(), S3TestServer.secretKey());
    }

    /** A server that accepts only {@code accessKey} / {@code secretKey}. */
    public PrivateS3Proxy(Path directory, String accessKey, String secretKey) throws IOException {
        S3TestServer.assumeAvailable();
        this.directory = directory;
        Files.createDirectories(directory.resolve("data"));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(
                directory.resolve("s3proxy.conf"),
                String.join(
                        "\n",
                        "s3proxy.endpoint=" + endpoint(),
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + accessKey,
                        "s3proxy.credential=" + secretKey,
                        "s3proxy.ignore-unknown-headers=true",
                        "jclouds.provider=filesystem-nio2",
                        "jclouds.filesystem.basedir="
                                + directory.resolve("data").toAbsolutePath(),
                        ""));
        start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the server and waits until it accepts connections. */
    public void start() throws IOException {
        process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        S3TestServer.jar().toString(),
                        "--properties",
                        directory.resolve("s3proxy.conf").toString()))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("s3proxy.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                // Not listening yet: wait for the process to exit (a startup failure), at most 100 ms.
                if (waitForExit(100)) {
                    throw new IOException("S3Proxy exited: " + Files.readString(directory.resolve("s3proxy.log")));
                }
            }
        }
        throw new IOException("S3Proxy did not answer on port " + port + " within 60 s");
    }

    /** Kills the server at once (SIGKILL), as a crash or a network partition would end it. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean waitForExit(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
    }

    @Override
    public void close() {
        if (process != null) {
            kill();
        }
    }
}
