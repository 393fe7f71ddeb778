package dev.cairn.changelog.internal;

import dev.cairn.changelog.ChangelogStateBackendHandle.Segment;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads change segments of all writers sharing a storage, batched: a request waits up to {@code persistDelay}
 * for others, or less when the waiting requests reach {@code persistSizeThreshold}; a batch becomes one file,
 * each request a segment at its offset. Uploads run on {@code threads} threads; each attempt is bounded by
 * {@code timeout} and retried up to {@code maxAttempts} times ({@code retryDelay} after a failure), the partial
 * file of a failed attempt deleted. At most {@code maxInFlightBytes} may wait or upload: {@link #persist} blocks
 * beyond that (back-pressure on the writer).
 *
 * <p>Files are tracked until every segment in them is either discarded by its writer (then the file is deleted)
 * or confirmed (then the checkpoint coordinator owns the file).
 */
public final class BatchingUploader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingUploader.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** How uploads are batched and retried. */
    public record Settings(
            Duration persistDelay,
            long persistSizeThreshold,
            long maxInFlightBytes,
            int maxAttempts,
            Duration timeout,
            Duration retryDelay,
            int threads) {}

    private record Request(byte[] data, long from, long to, CompletableFuture<Segment> result) {}

    private static final class FileUsage {
        int held;
        boolean confirmed;
    }

    private final CheckpointStreamFactory files;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService uploads;
    private final ExecutorService attempts;
    private final Map<StreamStateHandle, FileUsage> usage = new HashMap<>();
    private List<Request> waiting = new ArrayList<>();
    private long waitingBytes;
    private long inFlightBytes;
    private boolean flushScheduled;
    private boolean closed;
    /** Writers waiting in {@link #persist} for the in-flight bytes to drop: back-pressure. */
    private int blockedWriters;

    private volatile UploadMetrics metrics = UploadMetrics.NONE;

    public BatchingUploader(CheckpointStreamFactory files, Settings settings) {
        this.files = files;
        this.settings = settings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("cairn-changelog-batch"));
        this.uploads = Executors.newFixedThreadPool(settings.threads(), threads("cairn-changelog-upload"));
        this.attempts = Executors.newCachedThreadPool(threads("cairn-changelog-attempt"));
    }

    private static ThreadFactory threads(String prefix) {
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Registers the upload metrics in {@code group}: counters, sizes and latencies of uploads, and gauges of the
     * requests waiting for a batch, the bytes in flight and the writers held back by the in-flight limit.
     *
     * @param group the storage's metric group
     */
    public void registerMetrics(MetricGroup group) {
        metrics = UploadMetrics.of(group);
        group.gauge("cairn.changelog.uploadQueueSize", "Segments waiting to be batched into an upload", null, () -> {
            synchronized (this) {
                return waiting.size();
            }
        });
        group.gauge("cairn.changelog.inFlightBytes", "Bytes waiting or uploading", "bytes", () -> {
            synchronized (this) {
                return inFlightBytes;
            }
        });
        group.gauge(
                "cairn.changelog.backPressuredWriters",
                "Writers held back because the in-flight limit is reached",
                null,
                () -> {
                    synchronized (this) {
                        return blockedWriters;
                    }
                });
    }

    /**
     * Why writers are held back now, if they are: the bytes in flight reached {@code max-in-flight}.
     *
     * @return a one-line reason, or empty
     */
    public synchronized Optional<String> backPressure() {
        if (blockedWriters == 0) {
            return Optional.empty();
        }
        return Optional.of("changelog upload back-pressure: " + blockedWriters + " writer(s) waiting, " + inFlightBytes
                + " bytes in flight (limit " + settings.maxInFlightBytes() + ")");
    }

    /** Queues a segment for upload; blocks while the in-flight limit is reached. */
    public CompletableFuture<Segment> persist(byte[] data, long from, long to) {
        CompletableFuture<Segment> result = new CompletableFuture<>();
        synchronized (this) {
            while (!closed && inFlightBytes > 0 && inFlightBytes + data.length > settings.maxInFlightBytes()) {
                blockedWriters++;
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    result.completeExceptionally(new InterruptedIOException("Interrupted waiting to upload changes"));
                    return result;
                } finally {
                    blockedWriters--;
                }
            }
            if (closed) {
                result.completeExceptionally(new IOException("The changelog storage is closed"));
                return result;
            }
            inFlightBytes += data.length;
            waiting.add(new Request(data, from, to, result));
            waitingBytes += data.length;
            if (waitingBytes >= settings.persistSizeThreshold()) {
                flushLocked();
            } else if (!flushScheduled) {
                flushScheduled = true;
                scheduler.schedule(this::flush, settings.persistDelay().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        return result;
    }

    private synchronized void flush() {
        flushLocked();
    }

    private void flushLocked() {
        flushScheduled = false;
        if (waiting.isEmpty()) {
            return;
        }
        List<Request> batch = waiting;
        waiting = new ArrayList<>();
        waitingBytes = 0;
        uploads.execute(() -> upload(batch));
    }

    private void upload(List<Request> batch) {
        long bytes = 0;
        for (Request request : batch) {
            bytes += request.data().length;
        }
        UploadMetrics meters = metrics;
        long start = System.nanoTime();
        meters.uploads().increment();
        meters.batchSizes().record(batch.size());
        meters.sizes().record(bytes);
        try {
            int[] attemptsTaken = new int[1];
            StreamStateHandle file = uploadWithRetries(batch, attemptsTaken);
            meters.latencies().record(System.nanoTime() - start);
            meters.attempts().record(attemptsTaken[0]);
            synchronized (this) {
                FileUsage fileUsage = new FileUsage();
                fileUsage.held = batch.size();
                usage.put(file, fileUsage);
            }
            long offset = 0;
            for (Request request : batch) {
                request.result()
                        .complete(new Segment(file, offset, request.data().length, request.from(), request.to()));
                offset += request.data().length;
            }
        } catch (IOException | RuntimeException e) {
            meters.failures().increment();
            batch.forEach(request -> request.result().completeExceptionally(e));
        } finally {
            synchronized (this) {
                inFlightBytes -= bytes;
                notifyAll();
            }
        }
    }

    /** Uploads with retries; {@code attemptsTaken[0]} says how many attempts it took. */
    private StreamStateHandle uploadWithRetries(List<Request> batch, int[] attemptsTaken) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            attemptsTaken[0] = attempt;
            Future<StreamStateHandle> future = attempts.submit(() -> write(batch));
            try {
                return future.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true); // the interrupted attempt closes its stream, deleting the partial file
                last = new IOException(
                        "Changelog upload attempt " + attempt + " timed out after " + settings.timeout());
            } catch (ExecutionException e) {
                last = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                sleep(settings.retryDelay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.cancel(true);
                throw new InterruptedIOException("Interrupted uploading changes");
            }
            LOG.warn(
                    "Changelog upload attempt {} of {} failed: {}", attempt, settings.maxAttempts(), last.getMessage());
        }
        throw new IOException(
                "Uploading changes failed after " + settings.maxAttempts() + " attempt(s): " + last.getMessage(), last);
    }

    private static void sleep(Duration delay) throws InterruptedIOException {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted between upload attempts");
        }
    }

    private StreamStateHandle write(List<Request> batch) throws IOException {
        CheckpointStateOutputStream out = files.createOutputStream(StateScope.CHANGELOG);
        try {
            for (Request request : batch) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("Upload attempt abandoned");
                }
                out.write(request.data());
            }
            return out.closeAndGetHandle();
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** A segment of a file uploaded here is now owned by the checkpoints that reference it. */
    public synchronized void confirm(Segment segment) {
        FileUsage fileUsage = usage.get(segment.stream());
        if (fileUsage != null) {
            fileUsage.confirmed = true;
        }
    }

    /** A segment is needed by nobody; its file goes when all its segments are discarded and none is confirmed. */
    public void discard(Segment segment) {
        boolean delete = false;
        synchronized (this) {
            FileUsage fileUsage = usage.get(segment.stream());
            if (fileUsage != null && --fileUsage.held == 0) {
                usage.remove(segment.stream());
                delete = !fileUsage.confirmed;
            }
        }
        if (delete) {
            try {
                segment.stream().discardState();
            } catch (IOException e) {
                LOG.warn(
                        "Could not delete unused changelog file {}",
                        segment.stream().describe(),
                        e);
            }
        }
    }

    @Override
    public void close() {
        List<Request> abandoned;
        synchronized (this) {
            closed = true;
            abandoned = waiting;
            waiting = new ArrayList<>();
            notifyAll();
        }
        abandoned.forEach(r -> r.result().completeExceptionally(new IOException("The changelog storage is closed")));
        scheduler.shutdownNow();
        uploads.shutdown();
        attempts.shutdown();
    }
}
