package dev.cairn.checkpoint.s3.internal;

import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.spi.StateInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The storage {@link FileSystem} on an S3-compatible object store: {@code s3://bucket/key}. Directories are key
 * prefixes ({@link #mkdirs} does nothing); there is no rename, so a checkpoint is completed by writing its
 * {@code _metadata} last, create-only. SDK errors (after the client's retries) become {@link IOException}s that name
 * the operation and the path, so a checkpoint that cannot write fails cleanly.
 */
public final class S3FileSystem implements FileSystem {
    /** The most keys one DeleteObjects request may name. */
    static final int DELETE_BATCH = 1000;

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final S3Client client;
    private final S3Settings settings;
    private final ExecutorService uploads;

    /**
     * A file system over its own client, which {@link #close()} closes.
     *
     * @param configuration the {@code s3.*} options
     * @return a new file system
     */
    public static S3FileSystem create(ReadableConfig configuration) {
        S3Settings settings = S3Settings.from(configuration);
        return new S3FileSystem(S3Clients.create(settings), settings);
    }

    S3FileSystem(S3Client client, S3Settings settings) {
        this.client = client;
        this.settings = settings;
        this.uploads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "cairn-s3-upload-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Bucket and key of an {@code s3://bucket/key} path. */
    record Location(String bucket, String key) {
        /** The prefix of the objects inside this "directory". */
        String directoryPrefix() {
            return key.isEmpty() || key.endsWith("/") ? key : key + "/";
        }
    }

    /** Where the directory (or prefix) {@code path} lives: the path without the entropy segment. */
    Location directory(StoragePath path) {
        String bucket = path.toUri().getAuthority();
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("An S3 path needs a bucket: s3://bucket/key, not " + path);
        }
        String key = path.toUri().getPath();
        key = key.startsWith("/") ? key.substring(1) : key;
        if (hasEntropySegment(path)) {
            String marker = settings.entropyKey().orElseThrow();
            key = String.join(
                    "/",
                    Arrays.stream(key.split("/"))
                            .filter(segment -> !segment.equals(marker))
                            .toList());
        }
        return new Location(bucket, key);
    }

    private boolean hasEntropySegment(StoragePath path) {
        return settings.entropyKey().isPresent()
                && ("/" + path.toUri().getPath() + "/")
                        .contains("/" + settings.entropyKey().get() + "/");
    }

    /**
     * Where the file {@code path} lives. With {@code s3.entropy.key} in the path, a data file gets a prefix of
     * hex characters derived from its path (deterministic, so handles and metadata keep the logical path and
     * every later access finds the object); {@code _metadata} files stay at the path without the segment, where
     * listing the checkpoint directory finds them.
     */
    Location file(StoragePath path) {
        Location stripped = directory(path);
        if (!hasEntropySegment(path) || path.getName().startsWith("_metadata") || isLeaseFile(path)) {
            return stripped;
        }
        CRC32C crc = new CRC32C();
        crc.update(stripped.key().getBytes(StandardCharsets.UTF_8));
        String hex = String.format("%08x", crc.getValue());
        return new Location(stripped.bucket(), hex.substring(0, settings.entropyLength()) + "/" + stripped.key());
    }

    /** A checkpoint directory's ownership lease files are listed, so they stay where listing finds them. */
    private static boolean isLeaseFile(StoragePath path) {
        StoragePath parent = path.getParent();
        return parent != null && parent.getName().equals("_lease");
    }

    static IOException failure(String operation, StoragePath path, SdkException e) {
        return new IOException("S3 " + operation + " of " + path + " failed: " + e.getMessage(), e);
    }

    @Override
    public StateInputStream open(StoragePath path) throws IOException {
        return S3InputStream.open(client, file(path), path);
    }

    @Override
    public DurableOutputStream create(StoragePath path) throws IOException {
        return new S3OutputStream(client, settings, uploads, file(path), path);
    }

    /** An unconditional PUT: S3 replaces an object atomically. */
    @Override
    public void writeReplacing(StoragePath path, byte[] content) throws IOException {
        Location location = file(path);
        try {
            client.putObject(
                    PutObjectRequest.builder()
                            .bucket(location.bucket())
                            .key(location.key())
                            .contentLength((long) content.length)
                            .build(),
                    RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failure("PUT", path, e);
        }
    }

    @Override
    public void rename(StoragePath source, StoragePath target) throws IOException {
        throw new IOException("S3 has no atomic rename (" + source + " -> " + target
                + "); checkpoints on S3 are completed by writing their metadata last");
    }

    @Override
    public boolean supportsAtomicRename() {
        return false;
    }

    @Override
    public List<FileStatus> list(StoragePath directory) throws IOException {
        Location location = directory(directory);
        String prefix = location.directoryPrefix();
        List<FileStatus> entries = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(location.bucket())
                    .prefix(prefix)
                    .delimiter("/")
                    .build();
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(request)) {
                for (CommonPrefix common : page.commonPrefixes()) {
                    String name = common.prefix()
                            .substring(prefix.length(), common.prefix().length() - 1);
                    if (!name.isEmpty()) {
                        entries.add(new FileStatus(directory.resolve(name), true, 0));
                    }
                }
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(prefix.length());
                    if (!name.isEmpty()) { // a "directory marker" object some tools create
                        entries.add(new FileStatus(
                                directory.resolve(name),
                                false,
                                object.size(),
                                object.lastModified() == null
                                        ? -1
                                        : object.lastModified().toEpochMilli()));
                    }
                }
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchFileException(directory + ": bucket '" + location.bucket() + "' does not exist");
            }
            throw failure("list", directory, e);
        } catch (SdkException e) {
            throw failure("list", directory, e);
        }
        return entries;
    }

    @Override
    public boolean exists(StoragePath path) throws IOException {
        Location file = file(path);
        if (!file.key().isEmpty() && head(file, path) != null) {
            return true;
        }
        Location location = directory(path);
        try {
            return client.listObjectsV2(ListObjectsV2Request.builder()
                                    .bucket(location.bucket())
                                    .prefix(location.directoryPrefix())
                                    .maxKeys(1)
                                    .build())
                            .keyCount()
                    > 0;
        } catch (SdkException e) {
            throw failure("existence check", path, e);
        }
    }

    /** The object's metadata, or {@code null} if there is no such object. */
    private HeadObjectResponse head(Location location, StoragePath path) throws IOException {
        try {
            return client.headObject(b -> b.bucket(location.bucket()).key(location.key()));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw failure("HEAD", path, e);
        } catch (SdkException e) {
            throw failure("HEAD", path, e);
        }
    }

    @Override
    public long size(StoragePath path) throws IOException {
        HeadObjectResponse head = head(file(path), path);
        if (head == null) {
            throw new NoSuchFileException(path.toString());
        }
        return head.contentLength();
    }

    @Override
    public void delete(StoragePath path, boolean recursive) throws IOException {
        Location file = file(path);
        Location location = directory(path);
        List<String> keys = new ArrayList<>();
        if (!file.key().isEmpty()) {
            keys.add(file.key());
        }
        if (recursive) {
            try {
                ListObjectsV2Request request = ListObjectsV2Request.builder()
                        .bucket(location.bucket())
                        .prefix(location.directoryPrefix())
                        .build();
                for (ListObjectsV2Response page : client.listObjectsV2Paginator(request)) {
                    page.contents().forEach(object -> keys.add(object.key()));
                }
            } catch (SdkException e) {
                throw failure("listing for a recursive delete", path, e);
            }
        }
        deleteKeys(location.bucket(), keys, path);
    }

    @Override
    public void deleteAll(Collection<StoragePath> files) throws IOException {
        List<String> keys = new ArrayList<>();
        String bucket = null;
        for (StoragePath file : files) {
            Location location = file(file);
            if (bucket != null && !bucket.equals(location.bucket())) {
                deleteKeys(bucket, keys, file);
                keys.clear();
            }
            bucket = location.bucket();
            keys.add(location.key());
        }
        if (bucket != null) {
            deleteKeys(bucket, keys, files.iterator().next());
        }
    }

    /** Deletes keys with DeleteObjects requests of up to {@value #DELETE_BATCH} keys; absent keys are fine. */
    private void deleteKeys(String bucket, List<String> keys, StoragePath context) throws IOException {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(key -> ObjectIdentifier.builder().key(key).build())
                    .toList();
            try {
                DeleteObjectsResponse response = client.deleteObjects(b -> b.bucket(bucket)
                        .delete(Delete.builder().objects(batch).quiet(true).build()));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    var error = response.errors().get(0);
                    throw new IOException(
                            "S3 could not delete " + response.errors().size() + " of " + batch.size()
                                    + " objects under " + context + ", first s3://" + bucket + "/" + error.key() + ": "
                                    + error.code() + " " + error.message());
                }
            } catch (SdkException e) {
                throw failure("batch delete (" + batch.size() + " objects)", context, e);
            }
        }
    }

    @Override
    public void mkdirs(StoragePath directory) {
        // Object stores have no directories: a prefix exists as soon as an object below it does.
    }

    @Override
    public String toString() {
        return "S3FileSystem{" + settings + "}";
    }

    /** Stops the upload threads and closes the SDK client (its connection pool). */
    @Override
    public void close() {
        uploads.shutdown();
        client.close();
    }
}
