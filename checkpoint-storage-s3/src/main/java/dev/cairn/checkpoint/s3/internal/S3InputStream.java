package dev.cairn.checkpoint.s3.internal;

import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.spi.StateInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads an object with one streaming GET from the current position to the end, buffered in 64 KiB. A short
 * forward {@link #seek} reads through the open response; any other seek closes it and the next read issues one
 * ranged GET from the new position. So a sequential restore costs one request per file, whatever the number of
 * elements, and a positioned read (one key group of a snapshot) costs one more.
 */
final class S3InputStream extends StateInputStream {
    static final int BUFFER_SIZE = 64 * 1024;

    private final S3Client client;
    private final S3FileSystem.Location location;
    private final StoragePath path;
    private InputStream current;
    private ResponseInputStream<GetObjectResponse> response;
    private long position;
    private boolean endReached;
    private boolean closed;

    private S3InputStream(S3Client client, S3FileSystem.Location location, StoragePath path) {
        this.client = client;
        this.location = location;
        this.path = path;
    }

    /** Opens the object, failing at once if it does not exist. */
    static S3InputStream open(S3Client client, S3FileSystem.Location location, StoragePath path) throws IOException {
        S3InputStream stream = new S3InputStream(client, location, path);
        stream.request();
        return stream;
    }

    private void request() throws IOException {
        try {
            response = client.getObject(b -> b.bucket(location.bucket())
                    .key(location.key())
                    .range(position == 0 ? null : "bytes=" + position + "-"));
            current = new BufferedInputStream(response, BUFFER_SIZE);
            endReached = false;
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(path.toString());
        } catch (S3Exception e) {
            if (e.statusCode() == 416) { // the position is at or past the end
                current = InputStream.nullInputStream();
                endReached = true;
                return;
            }
            if (e.statusCode() == 404) {
                throw new NoSuchFileException(path.toString());
            }
            throw S3FileSystem.failure("GET", path, e);
        } catch (SdkException e) {
            throw S3FileSystem.failure("GET", path, e);
        }
    }

    private InputStream stream() throws IOException {
        if (closed) {
            throw new IOException("Stream of " + path + " is closed");
        }
        if (current == null) {
            request();
        }
        return current;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = stream().read();
            if (b >= 0) {
                position++;
            }
            return b;
        } catch (SdkException e) {
            throw S3FileSystem.failure("read", path, e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        try {
            int n = stream().read(buffer, offset, length);
            if (n > 0) {
                position += n;
            }
            return n;
        } catch (SdkException e) {
            throw S3FileSystem.failure("read", path, e);
        }
    }

    @Override
    public void seek(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IOException("Negative position " + newPosition + " in " + path);
        }
        if (newPosition == position) {
            return;
        }
        long ahead = newPosition - position;
        if (current != null && !endReached && ahead > 0 && ahead <= BUFFER_SIZE) {
            byte[] discard = new byte[(int) ahead];
            int read = current.readNBytes(discard, 0, discard.length);
            position += read;
            if (read == ahead) {
                return;
            }
        }
        closeCurrent();
        position = newPosition;
    }

    @Override
    public long getPos() {
        return position;
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            InputStream closing = current;
            current = null;
            if (response != null) {
                // Closing an unfinished HTTP response may read it to its end to reuse the connection;
                // aborting drops the connection instead, which is cheaper for the rest of a large object.
                response.abort();
                response = null;
            }
            closing.close();
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            closeCurrent();
        }
    }
}
