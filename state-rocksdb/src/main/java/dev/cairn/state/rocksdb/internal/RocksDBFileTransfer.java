package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle.NamedFile;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.StateInputStream;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the files of native checkpoints between the local disk and checkpoint storage, several at a time
 * ({@code state.backend.rocksdb.checkpoint.transfer.thread.num}). Uploads that fail leave nothing behind: files
 * already uploaded by the same call are discarded. Downloads check each file's length and, when the storage
 * recorded one, its CRC32C while copying, so a restore reads every byte once.
 *
 * <p>The threads are created on first use and end with {@link #close()} (or after a minute idle).
 */
final class RocksDBFileTransfer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDBFileTransfer.class);
    private static final int BUFFER_SIZE = 256 << 10;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final ExecutorService executor;

    RocksDBFileTransfer(int threads, String operatorIdentifier) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(
                            runnable,
                            "cairn-rocksdb-transfer-" + operatorIdentifier + "-" + THREAD_NUMBER.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    /**
     * Uploads {@code files} as streams of {@code scope}; returns their handles in the same order.
     *
     * @throws IOException when any upload fails; the files this call uploaded are then deleted again
     */
    List<StreamStateHandle> upload(List<Path> files, StateScope scope, CheckpointStreamFactory streams)
            throws IOException {
        List<Callable<StreamStateHandle>> tasks = new ArrayList<>();
        for (Path file : files) {
            tasks.add(() -> uploadOne(file, scope, streams));
        }
        return runAll(tasks, RocksDBFileTransfer::discardQuietly);
    }

    private static StreamStateHandle uploadOne(Path file, StateScope scope, CheckpointStreamFactory streams)
            throws IOException {
        CheckpointStateOutputStream out = streams.createOutputStream(scope);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            return out.closeAndGetHandle();
        } catch (IOException | RuntimeException e) {
            out.close();
            throw new IOException("Uploading " + file.getFileName() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Downloads {@code files} into {@code directory} under their names.
     *
     * @throws dev.cairn.state.CorruptCheckpointException when a file's length or checksum differs from what was recorded
     */
    void download(List<NamedFile> files, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Callable<Path>> tasks = new ArrayList<>();
        for (NamedFile file : files) {
            tasks.add(() -> downloadOne(file, directory.resolve(file.name())));
        }
        runAll(tasks, path -> {});
    }

    private static Path downloadOne(NamedFile file, Path target) throws IOException {
        StreamStateHandle stream = file.stream();
        CRC32C crc = new CRC32C();
        long length = 0;
        try (StateInputStream in = stream.openInputStream();
                OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                crc.update(buffer, 0, n);
                length += n;
            }
        }
        stream.checkContent(length, (int) crc.getValue(), "checkpoint file " + file.name() + " at");
        return target;
    }

    /**
     * Runs every task; if one fails, the tasks not yet started are skipped, the running ones finish, and the
     * successful ones are undone with {@code undo} (nothing is cancelled midway, so no result is lost unseen).
     */
    private <T> List<T> runAll(List<Callable<T>> tasks, java.util.function.Consumer<T> undo) throws IOException {
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<T>> futures = new ArrayList<>();
        Throwable failure = null;
        for (Callable<T> task : tasks) {
            try {
                futures.add(executor.submit(() -> {
                    if (failed.get()) {
                        return null;
                    }
                    try {
                        return task.call();
                    } catch (Exception | Error e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            } catch (RejectedExecutionException e) {
                // The backend is closing: stop submitting, but collect (and undo) what already runs.
                failed.set(true);
                failure = new IOException("Checkpoint file transfers stopped: the backend is closing", e);
                break;
            }
        }
        List<T> results = new ArrayList<>();
        boolean interrupted = false;
        for (Future<T> future : futures) {
            while (true) {
                try {
                    T result = future.get();
                    if (result != null) {
                        results.add(result);
                    }
                    break;
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish waiting: the running transfers' results must not be lost
                    failed.set(true);
                    if (failure == null) {
                        failure = new InterruptedIOException("Interrupted while transferring checkpoint files");
                    }
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure == null) {
            return results;
        }
        results.forEach(undo);
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new IOException(failure);
    }

    static void discardQuietly(StreamStateHandle handle) {
        try {
            handle.discardState();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete {} of a failed checkpoint", handle.describe(), e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Checkpoint file transfers did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
