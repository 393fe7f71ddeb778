package dev.cairn.checkpoint.internal;

import dev.cairn.checkpoint.FileStateHandle;
import dev.cairn.checkpoint.StreamWriteListener;
import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.spi.ByteStreamStateHandle;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Writes snapshot streams as files of one checkpoint location. A stream smaller than the inline threshold never
 * becomes a file: it is returned as bytes and stored inside {@code _metadata}. Files are fsynced before their
 * handle is returned; a stream closed without a handle deletes its file.
 */
public final class FsCheckpointStreamFactory implements CheckpointStreamFactory {

    private final FileSystem fileSystem;
    private final StoragePath exclusiveDirectory;
    private final StoragePath sharedDirectory;
    private final int writeBufferSize;
    private final int inlineThreshold;
    private final StreamWriteListener observer;
    /** The files this factory created in its exclusive directory: all an aborted checkpoint deletes there. */
    private final java.util.Set<StoragePath> createdExclusiveFiles = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FsCheckpointStreamFactory(
            FileSystem fileSystem,
            StoragePath exclusiveDirectory,
            StoragePath sharedDirectory,
            int writeBufferSize,
            int inlineThreshold,
            StreamWriteListener observer) {
        this.fileSystem = fileSystem;
        this.exclusiveDirectory = exclusiveDirectory;
        this.sharedDirectory = sharedDirectory;
        this.writeBufferSize = writeBufferSize;
        this.inlineThreshold = inlineThreshold;
        this.observer = observer;
    }

    /** The files created so far in the exclusive directory, finished or not. */
    java.util.Set<StoragePath> createdExclusiveFiles() {
        return java.util.Set.copyOf(createdExclusiveFiles);
    }

    @Override
    public CheckpointStateOutputStream createOutputStream(StateScope scope) {
        StoragePath directory = scope == StateScope.SHARED ? sharedDirectory : exclusiveDirectory;
        return new FsOutputStream(directory.resolve(UUID.randomUUID().toString()), scope);
    }

    private final class FsOutputStream extends CheckpointStateOutputStream {
        private final StoragePath path;
        private final StateScope scope;
        private final byte[] buffer = new byte[Math.max(writeBufferSize, inlineThreshold)];
        private final CRC32C crc = new CRC32C();
        private int fill;
        private long flushed;
        private FileSystem.DurableOutputStream file;
        private boolean closed;
        private boolean completed;
        private boolean discarded;

        FsOutputStream(StoragePath path, StateScope scope) {
            this.path = path;
            this.scope = scope;
        }

        @Override
        public void write(int b) throws IOException {
            if (fill == buffer.length) {
                flushBuffer();
            }
            buffer[fill++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkOpen();
            if (len >= buffer.length) {
                flushBuffer();
                writeToFile(b, off, len);
                return;
            }
            while (len > 0) {
                if (fill == buffer.length) {
                    flushBuffer();
                }
                int n = Math.min(len, buffer.length - fill);
                System.arraycopy(b, off, buffer, fill, n);
                fill += n;
                off += n;
                len -= n;
            }
        }

        private void flushBuffer() throws IOException {
            checkOpen();
            if (fill > 0) {
                writeToFile(buffer, 0, fill);
                fill = 0;
            }
        }

        private void writeToFile(byte[] b, int off, int len) throws IOException {
            if (file == null) {
                file = fileSystem.create(path);
                if (path.getParent().equals(exclusiveDirectory)) {
                    createdExclusiveFiles.add(path);
                }
            }
            file.write(b, off, len);
            crc.update(b, off, len);
            flushed += len;
        }

        private void checkOpen() throws IOException {
            if (closed) {
                throw new IOException("Checkpoint stream " + path + " is closed");
            }
        }

        @Override
        public long getPos() {
            return flushed + fill;
        }

        @Override
        public StreamStateHandle closeAndGetHandle() throws IOException {
            checkOpen();
            try {
                StreamStateHandle handle;
                if (file == null && fill < inlineThreshold) {
                    handle = new ByteStreamStateHandle(path.getName(), Arrays.copyOf(buffer, fill));
                    observer.streamWritten(fill, false);
                } else {
                    flushBuffer();
                    if (file == null) { // an empty stream with inlining off is still a file
                        file = fileSystem.create(path);
                    }
                    file.sync();
                    file.close();
                    observer.streamWritten(flushed, true);
                    handle = new FileStateHandle(fileSystem, path, scope, flushed, (int) crc.getValue());
                }
                closed = true;
                completed = true;
                return handle;
            } catch (IOException | RuntimeException e) {
                try {
                    close();
                } catch (IOException | RuntimeException cleanupFailure) {
                    e.addSuppressed(cleanupFailure); // the write's failure is the one to report
                }
                throw e;
            }
        }

        /** Discards the stream: an unfinished file is deleted. */
        @Override
        public void close() throws IOException {
            if (completed || discarded) {
                return;
            }
            closed = true;
            discarded = true;
            if (file != null) {
                IOException failure = null;
                try {
                    file.discard();
                } catch (IOException e) {
                    failure = e;
                }
                try {
                    fileSystem.delete(path, false);
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }
        }
    }
}
