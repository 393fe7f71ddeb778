package dev.cairn.checkpoint;

import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.FileSystemFactory;
import dev.cairn.checkpoint.fs.LocalFileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.spi.StateInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local file system under the {@code faulty:} scheme ({@code faulty:///tmp/x} is {@code /tmp/x}) that fails
 * on command: at the n-th mutating operation once ({@link Mode#FAIL}), from the n-th on forever
 * ({@link Mode#CRASH}, a dead process that cleans nothing up), or when writes exceed a byte budget
 * ({@link Mode#DISK_FULL}). Registered as a {@link FileSystemFactory} service for tests.
 */
public final class FaultInjectingFileSystem implements FileSystem {
    /** How injected faults behave. */
    public enum Mode {
        NONE,
        FAIL,
        CRASH,
        DISK_FULL
    }

    public static final FaultInjectingFileSystem INSTANCE = new FaultInjectingFileSystem();

    private volatile Mode mode = Mode.NONE;
    private volatile int failAt;
    private volatile long byteBudget;
    private final AtomicInteger operations = new AtomicInteger();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** No faults; counters reset. */
    public void reset() {
        mode = Mode.NONE;
        operations.set(0);
        bytesWritten.set(0);
        bytesRead.set(0);
        log.clear();
    }

    /** Fails the {@code n}-th mutating operation from now (1-based) in the given mode. */
    public void failAt(int n, Mode failMode) {
        reset();
        failAt = n;
        mode = failMode;
    }

    /** Writes beyond {@code bytes} from now fail with "No space left on device". */
    public void diskFullAfter(long bytes) {
        reset();
        byteBudget = bytes;
        mode = Mode.DISK_FULL;
    }

    /** Mutating operations seen since the last reset. */
    public int operations() {
        return operations.get();
    }

    /** Bytes read through streams this file system opened since the last reset. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** What happened, for assertion messages. */
    public List<String> log() {
        return new ArrayList<>(log);
    }

    private void mutate(String what) throws IOException {
        int n = operations.incrementAndGet();
        log.add(n + " " + what);
        Mode current = mode;
        if ((current == Mode.FAIL && n == failAt) || (current == Mode.CRASH && n >= failAt)) {
            throw new IOException("Injected fault at operation " + n + " (" + what + ")");
        }
    }

    private static StoragePath local(StoragePath path) {
        return StoragePath.fromLocal(Path.of(path.toUri().getPath()));
    }

    private static StoragePath faulty(StoragePath local) {
        return StoragePath.of("faulty://" + local.toUri().getPath());
    }

    @Override
    public StateInputStream open(StoragePath path) throws IOException {
        StateInputStream in = LocalFileSystem.INSTANCE.open(local(path));
        return new StateInputStream() {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    bytesRead.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n > 0) {
                    bytesRead.addAndGet(n);
                }
                return n;
            }

            @Override
            public void seek(long position) throws IOException {
                in.seek(position);
            }

            @Override
            public long getPos() throws IOException {
                return in.getPos();
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    @Override
    public DurableOutputStream create(StoragePath path) throws IOException {
        mutate("create " + path.getName());
        DurableOutputStream out = LocalFileSystem.INSTANCE.create(local(path));
        return new DurableOutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (mode == Mode.DISK_FULL && bytesWritten.addAndGet(len) > byteBudget) {
                    throw new IOException("No space left on device");
                }
                mutate("write " + path.getName());
                out.write(b, off, len);
            }

            @Override
            public void sync() throws IOException {
                mutate("sync " + path.getName());
                out.sync();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    @Override
    public void rename(StoragePath source, StoragePath target) throws IOException {
        mutate("rename " + source.getName() + " -> " + target.getName());
        LocalFileSystem.INSTANCE.rename(local(source), local(target));
    }

    @Override
    public List<FileStatus> list(StoragePath directory) throws IOException {
        List<FileStatus> entries = new ArrayList<>();
        for (FileStatus status : LocalFileSystem.INSTANCE.list(local(directory))) {
            entries.add(new FileStatus(faulty(status.path()), status.isDirectory(), status.size()));
        }
        return entries;
    }

    @Override
    public boolean exists(StoragePath path) throws IOException {
        return LocalFileSystem.INSTANCE.exists(local(path));
    }

    @Override
    public long size(StoragePath path) throws IOException {
        return LocalFileSystem.INSTANCE.size(local(path));
    }

    @Override
    public void delete(StoragePath path, boolean recursive) throws IOException {
        mutate("delete " + path.getName());
        LocalFileSystem.INSTANCE.delete(local(path), recursive);
    }

    @Override
    public void mkdirs(StoragePath directory) throws IOException {
        mutate("mkdirs " + directory.getName());
        LocalFileSystem.INSTANCE.mkdirs(local(directory));
    }

    /** Serves the {@code faulty:} scheme. */
    public static final class Factory implements FileSystemFactory {
        @Override
        public String scheme() {
            return "faulty";
        }

        @Override
        public FileSystem create(StoragePath path, ReadableConfig configuration) {
            return INSTANCE;
        }
    }
}
