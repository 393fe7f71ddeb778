package dev.cairn.checkpoint.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.checkpoint.CheckpointOwnershipException;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.checkpoint.OwnershipLease;
import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ownership lease of a job's checkpoint directory, kept as files in {@code <job dir>/_lease/}.
 *
 * <p><b>Taking it.</b> Each owner writes {@code epoch-<n>} (its id, host, process id and start time) with
 * create-only semantics — an exclusive create on a local disk, a conditional {@code If-None-Match: *} PUT on S3 —
 * for the epoch after the highest one present, and only when that one's owner is stale. Of two processes racing
 * for the same epoch exactly one creates the file; the other fails naming the winner. A later (higher) epoch
 * always wins: an owner that finds one above its own has lost the lease.
 *
 * <p><b>Keeping it.</b> The owner rewrites {@code epoch-<n>.heartbeat} every third of the timeout, and checks
 * for a higher epoch at the same time and whenever {@link #checkOwned()} is called (before every checkpoint
 * completes). Closing writes a "released" heartbeat, so the next process starts at once.
 *
 * <p><b>Stale.</b> An owner is stale when it released the lease; when it ran on this host and its process is
 * gone (or the process id now belongs to another process, or to this one in an earlier run, as in a container
 * restarted with the same pid); or when its heartbeat is older than the timeout (other hosts: their clocks must
 * agree with ours to well within the timeout). Epoch files of earlier owners are deleted by the one that takes
 * over, so epochs keep increasing.
 */
public final class FileSystemOwnershipLease implements OwnershipLease {
    public static final String DIRECTORY = "_lease";
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemOwnershipLease.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern EPOCH_FILE = Pattern.compile("epoch-(\\d{19})");
    private static final String HEARTBEAT = ".heartbeat";
    /** Owner ids of the leases this process holds: a lease with our pid and one of these is not stale. */
    private static final Set<String> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final FileSystem fileSystem;
    private final StoragePath jobDirectory;
    private final StoragePath leaseDirectory;
    private final Owner owner;
    private final Duration timeout;
    private final Clock clock;
    private final ScheduledExecutorService renewal;
    private volatile String lostBecause;
    private volatile boolean closed;

    /** Who holds an epoch. {@code processStart} is in epoch milliseconds, or {@code -1} if unknown. */
    record Owner(String id, String host, long pid, long processStart, long epoch, long acquiredMillis) {
        byte[] toJson() {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("format", 1);
            node.put("owner", id);
            node.put("host", host);
            node.put("pid", pid);
            node.put("processStart", processStart);
            node.put("epoch", epoch);
            node.put("acquired", acquiredMillis);
            return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        static Owner fromJson(byte[] json) throws IOException {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.hasNonNull("owner") || !node.hasNonNull("epoch")) {
                throw new IOException("not a lease file");
            }
            return new Owner(
                    node.get("owner").asText(),
                    node.path("host").asText("unknown"),
                    node.path("pid").asLong(-1),
                    node.path("processStart").asLong(-1),
                    node.get("epoch").asLong(),
                    node.path("acquired").asLong(0));
        }

        String describe() {
            return "owner " + id + " (host " + host + ", process " + pid + ", epoch " + epoch + ")";
        }
    }

    /** The highest epoch's owner and when it last showed life. */
    private record Holder(Owner owner, StoragePath file, long lastRenewedMillis, boolean released) {}

    private FileSystemOwnershipLease(
            FileSystem fileSystem, StoragePath jobDirectory, Owner owner, Duration timeout, Clock clock) {
        this.fileSystem = fileSystem;
        this.jobDirectory = jobDirectory;
        this.leaseDirectory = jobDirectory.resolve(DIRECTORY);
        this.owner = owner;
        this.timeout = timeout;
        this.clock = clock;
        this.renewal = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cairn-lease-" + jobDirectory.getName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Takes the lease of {@code jobDirectory}, taking it over from a stale owner.
     *
     * @throws CheckpointOwnershipException when a live process holds it
     */
    public static FileSystemOwnershipLease acquire(
            FileSystem fileSystem, StoragePath jobDirectory, Duration timeout, Clock clock) throws IOException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    CheckpointingOptions.OWNERSHIP_LEASE_TIMEOUT.key() + " must be positive, not " + timeout);
        }
        StoragePath leaseDirectory = jobDirectory.resolve(DIRECTORY);
        Holder current = readHolder(fileSystem, leaseDirectory);
        long epoch = 1;
        if (current != null) {
            Optional<String> stale = staleness(current, timeout, clock);
            if (stale.isEmpty()) {
                throw inUse(jobDirectory, current, clock, timeout);
            }
            if (!current.released()) {
                LOG.warn(
                        "Taking over checkpoint directory {} from {}: {}",
                        jobDirectory,
                        current.owner().describe(),
                        stale.get());
            }
            epoch = current.owner().epoch() + 1;
        }
        Owner owner = new Owner(
                UUID.randomUUID().toString(),
                ThisProcess.HOST,
                ThisProcess.PID,
                ThisProcess.START,
                epoch,
                clock.millis());
        FileSystemOwnershipLease lease = new FileSystemOwnershipLease(fileSystem, jobDirectory, owner, timeout, clock);
        StoragePath file = leaseDirectory.resolve(fileName(epoch));
        try (FileSystem.DurableOutputStream out = fileSystem.create(file)) {
            out.write(owner.toJson());
            out.sync();
        } catch (FileAlreadyExistsException e) {
            lease.renewal.shutdownNow();
            Holder winner = readHolder(fileSystem, leaseDirectory);
            throw winner != null
                    ? inUse(jobDirectory, winner, clock, timeout)
                    : new CheckpointOwnershipException("Another process took the ownership lease of checkpoint"
                            + " directory " + jobDirectory + " at the same time (" + file + ")");
        }
        HELD_HERE.add(owner.id());
        try {
            lease.renew();
            lease.checkOwned();
            lease.deleteEarlierEpochs();
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw e;
        }
        long period = Math.max(1, timeout.toMillis() / 3);
        lease.renewal.scheduleWithFixedDelay(lease::renewQuietly, period, period, TimeUnit.MILLISECONDS);
        LOG.info("Took the ownership lease of checkpoint directory {} as {}", jobDirectory, owner.describe());
        return lease;
    }

    private static String fileName(long epoch) {
        return String.format("epoch-%019d", epoch);
    }

    /** The holder of the highest epoch in {@code leaseDirectory}, or {@code null} when there is none. */
    private static Holder readHolder(FileSystem fileSystem, StoragePath leaseDirectory) throws IOException {
        long highest = -1;
        StoragePath highestFile = null;
        for (FileSystem.FileStatus entry : fileSystem.list(leaseDirectory)) {
            Matcher matcher = EPOCH_FILE.matcher(entry.path().getName());
            if (!entry.isDirectory() && matcher.matches()) {
                long epoch = Long.parseLong(matcher.group(1));
                if (epoch > highest) {
                    highest = epoch;
                    highestFile = entry.path();
                }
            }
        }
        if (highestFile == null) {
            return null;
        }
        Owner owner;
        try {
            owner = Owner.fromJson(readAll(fileSystem, highestFile));
        } catch (IOException e) {
            // Written by a process that crashed while writing it (a local create is not atomic): nobody holds
            // it. Should its writer be alive after all, it finds our higher epoch and gives up.
            LOG.warn("Ignoring unreadable lease file {}: {}", highestFile, e.toString());
            return new Holder(new Owner("unknown", "unknown", -1, -1, highest, 0), highestFile, 0, true);
        }
        long renewed = owner.acquiredMillis();
        boolean released = false;
        StoragePath heartbeat = highestFile.getParent().resolve(highestFile.getName() + HEARTBEAT);
        try {
            if (fileSystem.exists(heartbeat)) {
                JsonNode node = MAPPER.readTree(readAll(fileSystem, heartbeat));
                renewed = Math.max(renewed, node.path("time").asLong(0));
                released = node.path("released").asBoolean(false);
            }
        } catch (IOException e) {
            LOG.debug("Unreadable heartbeat {}: {}", heartbeat, e.toString());
        }
        return new Holder(owner, highestFile, renewed, released);
    }

    private static byte[] readAll(FileSystem fileSystem, StoragePath path) throws IOException {
        try (var in = fileSystem.open(path)) {
            return in.readAllBytes();
        }
    }

    /** Why {@code holder} no longer owns the directory, or empty when it still does. */
    private static Optional<String> staleness(Holder holder, Duration timeout, Clock clock) {
        if (holder.released()) {
            return Optional.of("its owner released it");
        }
        Owner owner = holder.owner();
        if (owner.host().equals(ThisProcess.HOST)) {
            if (owner.pid() == ThisProcess.PID) {
                if (!HELD_HERE.contains(owner.id())) {
                    return Optional.of("it was held by an earlier run with this process id (" + owner.pid() + ")");
                }
            } else {
                Optional<ProcessHandle> process = ProcessHandle.of(owner.pid());
                if (process.isEmpty() || !process.get().isAlive()) {
                    return Optional.of("its process " + owner.pid() + " on this host is gone");
                }
                Optional<Instant> started = process.get().info().startInstant();
                if (owner.processStart() > 0
                        && started.isPresent()
                        && Math.abs(started.get().toEpochMilli() - owner.processStart()) > 1_000) {
                    return Optional.of("its process " + owner.pid() + " on this host is gone (the id is reused)");
                }
            }
        }
        long age = clock.millis() - holder.lastRenewedMillis();
        if (age > timeout.toMillis()) {
            return Optional.of("it was last renewed " + Duration.ofMillis(age).toSeconds() + " s ago, longer than "
                    + CheckpointingOptions.OWNERSHIP_LEASE_TIMEOUT.key() + " (" + timeout.toSeconds() + " s)");
        }
        return Optional.empty();
    }

    private static CheckpointOwnershipException inUse(
            StoragePath jobDirectory, Holder holder, Clock clock, Duration timeout) {
        long age = Math.max(0, clock.millis() - holder.lastRenewedMillis());
        return new CheckpointOwnershipException("Checkpoint directory " + jobDirectory + " is in use by another"
                + " process: " + holder.owner().describe() + ", lease renewed "
                + Duration.ofMillis(age).toSeconds()
                + " s ago (" + holder.file() + "). Two processes must not checkpoint into one directory: give"
                + " this one another execution.checkpointing.dir or pipeline.name. If that process is gone, its"
                + " lease expires " + timeout.toSeconds() + " s after its last renewal ("
                + CheckpointingOptions.OWNERSHIP_LEASE_TIMEOUT.key() + ")");
    }

    @Override
    public long epoch() {
        return owner.epoch();
    }

    /** This owner's id (a random UUID per acquisition). */
    public String ownerId() {
        return owner.id();
    }

    @Override
    public void checkOwned() {
        if (lostBecause != null) {
            throw new CheckpointOwnershipException(lostBecause);
        }
        if (closed) {
            throw new CheckpointOwnershipException(
                    "The ownership lease of checkpoint directory " + jobDirectory + " was released");
        }
        Holder holder;
        try {
            holder = readHolder(fileSystem, leaseDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot check the ownership lease of checkpoint directory " + jobDirectory + ": " + e, e);
        }
        if (holder == null
                || holder.owner().epoch() != owner.epoch()
                || !holder.owner().id().equals(owner.id())) {
            lostBecause = "This process (" + owner.describe() + ") lost the ownership lease of checkpoint directory "
                    + jobDirectory
                    + (holder == null
                            ? ": its lease file is gone"
                            : " to " + holder.owner().describe()
                                    + "; it stops checkpointing and deletes nothing there (restart it to resume"
                                    + " from the new owner's checkpoints once that one stops)");
            LOG.error(lostBecause);
            throw new CheckpointOwnershipException(lostBecause);
        }
    }

    private void renew() throws IOException {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("time", clock.millis());
        node.put("released", closed);
        fileSystem.writeReplacing(
                leaseDirectory.resolve(fileName(owner.epoch()) + HEARTBEAT),
                node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private synchronized void renewQuietly() {
        if (closed || lostBecause != null) {
            return;
        }
        try {
            checkOwned();
            renew();
        } catch (CheckpointOwnershipException e) {
            renewal.shutdown();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not renew the ownership lease of checkpoint directory {}: {}", jobDirectory, e.toString());
        }
    }

    private void deleteEarlierEpochs() throws IOException {
        List<StoragePath> earlier = new ArrayList<>();
        for (FileSystem.FileStatus entry : fileSystem.list(leaseDirectory)) {
            String name = entry.path().getName();
            String base = name.endsWith(HEARTBEAT) ? name.substring(0, name.length() - HEARTBEAT.length()) : name;
            Matcher matcher = EPOCH_FILE.matcher(base);
            if (!entry.isDirectory() && matcher.matches() && Long.parseLong(matcher.group(1)) < owner.epoch()) {
                earlier.add(entry.path());
            }
        }
        fileSystem.deleteAll(earlier);
    }

    /** Marks the lease released (unless another process took it over) and stops renewing it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        renewal.shutdownNow();
        HELD_HERE.remove(owner.id());
        if (lostBecause == null) {
            try {
                renew();
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "Could not release the ownership lease of checkpoint directory {}; the next owner takes it"
                                + " over when it is stale: {}",
                        jobDirectory,
                        e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "ownership lease of " + jobDirectory + " (" + owner.describe() + ")";
    }

    /** Who this process is, as recorded in its leases. */
    private static final class ThisProcess {
        static final long PID = ProcessHandle.current().pid();
        static final long START = ProcessHandle.current()
                .info()
                .startInstant()
                .map(Instant::toEpochMilli)
                .orElse(-1L);
        static final String HOST = hostName();

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                String fromEnvironment = System.getenv("HOSTNAME");
                return fromEnvironment != null ? fromEnvironment : "unknown-host";
            }
        }
    }
}
