package dev.cairn.checkpoint.fs;

import dev.cairn.state.spi.StateInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@link FileSystem} over {@code java.nio.file} for {@code file:} paths; renames are atomic moves. */
public final class LocalFileSystem implements FileSystem {
    /** The one instance: the local file system holds no state. */
    public static final LocalFileSystem INSTANCE = new LocalFileSystem();

    private LocalFileSystem() {}

    @Override
    public StateInputStream open(StoragePath path) throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toLocalPath().toFile(), "r");
        return new StateInputStream() {
            @Override
            public void seek(long position) throws IOException {
                file.seek(position);
            }

            @Override
            public long getPos() throws IOException {
                return file.getFilePointer();
            }

            @Override
            public int read() throws IOException {
                return file.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return file.read(b, off, len);
            }

            @Override
            public long skip(long n) throws IOException {
                long target = Math.min(file.length(), file.getFilePointer() + Math.max(0, n));
                long skipped = target - file.getFilePointer();
                file.seek(target);
                return skipped;
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    @Override
    public DurableOutputStream create(StoragePath path) throws IOException {
        Path local = path.toLocalPath();
        Files.createDirectories(local.getParent());
        FileChannel channel = FileChannel.open(local, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new DurableOutputStream() {
            private final byte[] single = new byte[1];

            @Override
            public void write(int b) throws IOException {
                single[0] = (byte) b;
                write(single, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            @Override
            public void sync() throws IOException {
                channel.force(true);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    @Override
    public void writeReplacing(StoragePath path, byte[] content) throws IOException {
        Path target = path.toLocalPath();
        Files.createDirectories(target.getParent());
        Path temporary = target.resolveSibling(target.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try (FileChannel channel =
                FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        syncDirectory(target.getParent());
    }

    @Override
    public void rename(StoragePath source, StoragePath target) throws IOException {
        Path to = target.toLocalPath();
        if (Files.exists(to)) {
            throw new FileAlreadyExistsException(to.toString());
        }
        Files.move(source.toLocalPath(), to, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(to.getParent());
    }

    /** Makes a rename or a new file's directory entry durable (best effort where directories cannot be opened). */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot fsync a directory; the rename itself is still atomic.
        }
    }

    @Override
    public List<FileStatus> list(StoragePath directory) throws IOException {
        List<FileStatus> entries = new ArrayList<>();
        Path local = directory.toLocalPath();
        if (!Files.isDirectory(local)) {
            return entries;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(local)) {
            for (Path entry : stream) {
                java.nio.file.attribute.BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(entry, java.nio.file.attribute.BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // deleted while listing
                }
                boolean isDirectory = attributes.isDirectory();
                entries.add(new FileStatus(
                        StoragePath.fromLocal(entry),
                        isDirectory,
                        isDirectory ? 0 : attributes.size(),
                        attributes.lastModifiedTime().toMillis()));
            }
        } catch (NoSuchFileException e) {
            return entries;
        }
        return entries;
    }

    @Override
    public boolean exists(StoragePath path) {
        return Files.exists(path.toLocalPath());
    }

    @Override
    public long size(StoragePath path) throws IOException {
        return Files.size(path.toLocalPath());
    }

    @Override
    public void delete(StoragePath path, boolean recursive) throws IOException {
        Path local = path.toLocalPath();
        if (!Files.exists(local)) {
            return;
        }
        if (recursive && Files.isDirectory(local)) {
            try (Stream<Path> walk = Files.walk(local)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } else {
            Files.deleteIfExists(local);
        }
    }

    @Override
    public void mkdirs(StoragePath directory) throws IOException {
        Files.createDirectories(directory.toLocalPath());
    }
}
