package dev.cairn.checkpoint.s3.internal;

import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes one object. Up to the part size the bytes stay in memory and {@link #close} uploads them with one PUT;
 * beyond it the stream turns into a multipart upload whose parts are sent in parallel (at most
 * {@code s3.upload.threads} parts in flight or buffered), completed on close. Any failure aborts the multipart
 * upload, so no parts are left behind, and surfaces as an {@link IOException}.
 *
 * <p>The object is created only if absent: with conditional writes the PUT or the completion carries
 * {@code If-None-Match: *} and a 412 becomes {@link FileAlreadyExistsException}; without them a HEAD checks first.
 * The object appears atomically when {@link #close} returns, so {@link #sync} has nothing to force earlier.
 */
final class S3OutputStream extends FileSystem.DurableOutputStream {
    private static final Logger LOG = LoggerFactory.getLogger(S3OutputStream.class);
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final S3Client client;
    private final S3Settings settings;
    private final ExecutorService uploads;
    private final S3FileSystem.Location location;
    private final StoragePath path;
    private final Semaphore partsInFlight;
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    /** Of every byte written: to recognize our own object when a retried create-only write gets a 412. */
    private final CRC32C written = new CRC32C();

    private long length;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int fill;
    private String uploadId;
    private boolean closed;

    S3OutputStream(
            S3Client client,
            S3Settings settings,
            ExecutorService uploads,
            S3FileSystem.Location location,
            StoragePath path) {
        this.client = client;
        this.settings = settings;
        this.uploads = uploads;
        this.location = location;
        this.path = path;
        this.partsInFlight = new Semaphore(settings.uploadThreads());
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (fill == buffer.length) {
            makeRoom();
        }
        buffer[fill++] = (byte) b;
        written.update(b);
        length++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        written.update(bytes, offset, length);
        this.length += length;
        while (length > 0) {
            if (fill == buffer.length) {
                makeRoom();
            }
            int n = Math.min(length, buffer.length - fill);
            System.arraycopy(bytes, offset, buffer, fill, n);
            fill += n;
            offset += n;
            length -= n;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream of " + path + " is closed");
        }
    }

    /** Grows the buffer up to the part size, then hands a full part to the uploaders. */
    private void makeRoom() throws IOException {
        if (buffer.length < settings.partSize()) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(settings.partSize(), (long) buffer.length * 2));
        } else {
            uploadPart();
        }
    }

    private void uploadPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = client.createMultipartUpload(
                                b -> b.bucket(location.bucket()).key(location.key()))
                        .uploadId();
            }
            partsInFlight.acquire();
        } catch (SdkException e) {
            throw S3FileSystem.failure("multipart upload start", path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new InterruptedIOException("Interrupted while uploading " + path);
        }
        byte[] part = buffer;
        int length = fill;
        int number = parts.size() + 1;
        buffer = new byte[(int) settings.partSize()];
        fill = 0;
        String id = uploadId;
        parts.add(uploads.submit(() -> {
            try {
                String etag = client.uploadPart(
                                b -> b.bucket(location.bucket())
                                        .key(location.key())
                                        .uploadId(id)
                                        .partNumber(number)
                                        .contentLength((long) length),
                                RequestBody.fromBytes(length == part.length ? part : Arrays.copyOf(part, length)))
                        .eTag();
                return CompletedPart.builder().partNumber(number).eTag(etag).build();
            } finally {
                partsInFlight.release();
            }
        }));
        failFastOnFinishedFailures();
    }

    /** Surfaces a part that already failed instead of buffering more data for a doomed upload. */
    private void failFastOnFinishedFailures() throws IOException {
        for (Future<CompletedPart> part : parts) {
            if (part.isDone()) {
                awaitPart(part);
            }
        }
    }

    private CompletedPart awaitPart(Future<CompletedPart> part) throws IOException {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new InterruptedIOException("Interrupted while uploading " + path);
        } catch (ExecutionException e) {
            abort();
            Throwable cause = e.getCause();
            if (cause instanceof SdkException sdk) {
                throw S3FileSystem.failure("part upload", path, sdk);
            }
            throw new IOException("Uploading a part of " + path + " failed: " + cause, cause);
        }
    }

    @Override
    public void sync() {
        // Nothing is visible or durable before close() completes the object; close() is the durability point.
    }

    /** Uploads nothing more; a multipart upload in progress is aborted, so no object and no parts remain. */
    @Override
    public void discard() {
        if (closed) {
            return;
        }
        abort();
        closed = true;
        buffer = null;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (uploadId == null) {
            putWhole();
        } else {
            completeMultipart();
        }
        buffer = null;
    }

    private void putWhole() throws IOException {
        if (!settings.conditionalWrites()) {
            checkAbsent();
        }
        PutObjectRequest.Builder request =
                PutObjectRequest.builder().bucket(location.bucket()).key(location.key());
        if (settings.conditionalWrites()) {
            request.ifNoneMatch("*");
        }
        try {
            client.putObject(
                    request.contentLength((long) fill).build(), RequestBody.fromBytes(Arrays.copyOf(buffer, fill)));
        } catch (S3Exception e) {
            if (!isOurs(e)) {
                throw translate("PUT", e);
            }
        } catch (SdkException e) {
            throw S3FileSystem.failure("PUT", path, e);
        }
    }

    private void completeMultipart() throws IOException {
        if (fill > 0) {
            uploadPart();
        }
        List<CompletedPart> completed = new ArrayList<>();
        for (Future<CompletedPart> part : parts) {
            completed.add(awaitPart(part));
        }
        completed.sort(Comparator.comparingInt(CompletedPart::partNumber));
        if (!settings.conditionalWrites()) {
            try {
                checkAbsent();
            } catch (IOException e) {
                abort();
                throw e;
            }
        }
        try {
            client.completeMultipartUpload(b -> {
                b.bucket(location.bucket())
                        .key(location.key())
                        .uploadId(uploadId)
                        .multipartUpload(m -> m.parts(completed));
                if (settings.conditionalWrites()) {
                    b.ifNoneMatch("*");
                }
            });
        } catch (S3Exception e) {
            if (!isOurs(e)) {
                abort();
                throw translate("multipart completion", e);
            }
        } catch (SdkException e) {
            abort();
            throw S3FileSystem.failure("multipart completion", path, e);
        }
    }

    private void checkAbsent() throws IOException {
        try {
            client.headObject(b -> b.bucket(location.bucket()).key(location.key()));
            throw new FileAlreadyExistsException(path.toString());
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw S3FileSystem.failure("HEAD", path, e);
            }
        } catch (SdkException e) {
            throw S3FileSystem.failure("HEAD", path, e);
        }
    }

    /**
     * Whether a create-only write refused with 412 found the object this stream wrote: when an attempt reaches the
     * store but its response is lost, the SDK's retry is refused because the first attempt succeeded. The object
     * is ours if it has our length and CRC32C (one GET, only in this rare case).
     */
    private boolean isOurs(S3Exception e) throws IOException {
        if (e.statusCode() != 412) {
            return false;
        }
        CRC32C existing = new CRC32C();
        long existingLength = 0;
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = client.getObject(b -> b.bucket(location.bucket()).key(location.key()))) {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                existing.update(chunk, 0, n);
                existingLength += n;
            }
        } catch (SdkException readFailure) {
            return false;
        }
        boolean ours = existingLength == length && existing.getValue() == written.getValue();
        if (ours) {
            LOG.debug("{} exists with this stream's exact content: a retried write's first attempt succeeded", path);
        }
        return ours;
    }

    private IOException translate(String operation, S3Exception e) {
        if (e.statusCode() == 412) {
            FileAlreadyExistsException exists = new FileAlreadyExistsException(
                    path.toString(), null, "the object exists (If-None-Match: * was refused)");
            exists.initCause(e);
            return exists;
        }
        return S3FileSystem.failure(operation, path, e);
    }

    /** Aborts the multipart upload (best effort), so the store keeps no orphaned parts. */
    private void abort() {
        if (uploadId == null) {
            return;
        }
        for (Future<CompletedPart> part : parts) {
            part.cancel(true);
        }
        try {
            client.abortMultipartUpload(
                    b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
        } catch (SdkException e) {
            LOG.warn(
                    "Could not abort the multipart upload {} of {}; its parts stay until a lifecycle rule"
                            + " removes them",
                    uploadId,
                    path,
                    e);
        }
        uploadId = null;
        closed = true;
    }
}
