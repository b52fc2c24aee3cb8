package dev.sparktrain.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.config.ConfigException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The lock of an experiment: a lease. The folder {@code <output.dir>/lock} (or one under
 * {@code lock.dir}) holds the current lease, a small JSON file {@code lease-<generation>} naming its
 * holder's host, process, run id, start time and a token, created exclusively (an atomic create on
 * HDFS and on local disks; file systems without one are refused). The holder renews it every
 * {@code heartbeat} (its modification time). Another run takes it over when its holder is known to
 * be gone (same host, process ended) or when it has not been renewed for {@code staleAfter}, whichever
 * host held it, by creating the next generation's lease exclusively: of two runs taking over at once
 * exactly one wins. Otherwise acquiring fails with {@link ExperimentLockedException}, naming the holder.
 *
 * <p>Fencing: a holder that finds a later generation (its lease taken over), or that has not renewed
 * for {@code staleAfter} by its own clock (a JVM paused past its lease, a file system it cannot
 * reach), has lost the lock: {@link #check} and {@link #verify} then throw {@link LeaseLostException},
 * and the run stops before it writes a checkpoint, the model or a pointer.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LEASE = "lease-";
    /** Schemes whose create(overwrite = false) is atomic: the namenode, a local O_EXCL, a conditional create. */
    static final Set<String> EXCLUSIVE = Set.of("file", "hdfs", "viewfs", "webhdfs", "swebhdfs", "abfs", "abfss",
            "gs", "ofs", "o3fs");

    /**
     * A lease file's content; {@code application} and {@code attempt} name the cluster manager's attempt
     * the holder ran in (YARN cluster deploy mode), else null and 0.
     */
    public record Holder(String host, long pid, String runId, String since, String token, long generation,
                         String application, int attempt) {
        Attempt launchAttempt() {
            return application == null ? null : new Attempt(application, attempt);
        }
    }

    private record Lease(Path path, long generation, long modified) {
    }

    private final FileSystem fs;
    private final Path dir;
    private final Path lease;
    private final Holder holder;
    private final Duration staleAfter;
    private final LongSupplier clock;
    private final ScheduledExecutorService heartbeat;
    private volatile long renewedAt;
    private volatile String lost;

    private RunLock(FileSystem fs, Path dir, Holder holder, Duration heartbeat, Duration staleAfter, LongSupplier clock,
                    boolean beating) {
        this.fs = fs;
        this.dir = dir;
        this.lease = leasePath(dir, holder.generation());
        this.holder = holder;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.renewedAt = clock.getAsLong();
        if (beating) {
            this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sparktrain-lock-heartbeat");
                t.setDaemon(true);
                return t;
            });
            long period = heartbeat.toMillis();
            this.heartbeat.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
        } else {
            this.heartbeat = null;
        }
    }

    /** Takes the lease in {@code dir} for {@code runId}, renewed every {@code heartbeat}, or fails naming its holder. */
    public static RunLock acquire(FileSystem fs, Path dir, String runId, Duration heartbeat, Duration staleAfter) {
        return acquire(fs, dir, runId, heartbeat, staleAfter, Attempt.current().orElse(null));
    }

    /** As a driver in the cluster manager's {@code attempt} (null: none): an earlier attempt's lease is taken over. */
    public static RunLock acquire(FileSystem fs, Path dir, String runId, Duration heartbeat, Duration staleAfter,
                                  Attempt attempt) {
        return acquire(fs, dir, runId, heartbeat, staleAfter, System::currentTimeMillis, true, host(), attempt);
    }

    /** With a clock, without the heartbeat thread when {@code beating} is false, as host {@code host} (tests). */
    static RunLock acquire(FileSystem fs, Path dir, String runId, Duration heartbeat, Duration staleAfter,
                           LongSupplier clock, boolean beating, String host) {
        return acquire(fs, dir, runId, heartbeat, staleAfter, clock, beating, host, null);
    }

    /** As a driver in the cluster manager's {@code attempt} (null: none). */
    static RunLock acquire(FileSystem fs, Path dir, String runId, Duration heartbeat, Duration staleAfter,
                           LongSupplier clock, boolean beating, String host, Attempt attempt) {
        String scheme = fs.getUri().getScheme() == null ? "file" : fs.getUri().getScheme().toLowerCase(Locale.ROOT);
        if (!EXCLUSIVE.contains(scheme) && local(fs) == null) {
            throw new ConfigException("the experiment's lock cannot be held on " + fs.makeQualified(dir) + ": "
                    + scheme + ":// has no exclusive create; set lock.dir to a folder on HDFS or a local disk");
        }
        legacy(fs, dir, clock, staleAfter, host);
        for (int tries = 0; tries < 5; tries++) {
            Lease top = newest(fs, dir);
            long next = top == null ? 1 : top.generation() + 1;
            if (top != null) {
                takeOver(fs, dir, read(fs, top.path()), top.modified(), clock, staleAfter, host, attempt);
            }
            Holder me = new Holder(host, ProcessHandle.current().pid(), runId, Instant.ofEpochMilli(clock.getAsLong())
                    .toString(), UUID.randomUUID().toString(), next, attempt == null ? null : attempt.application(),
                    attempt == null ? 0 : attempt.number());
            if (create(fs, leasePath(dir, next), me)) {
                RunLock lock = new RunLock(fs, dir, me, heartbeat, staleAfter, clock, beating);
                lock.touch();
                lock.removeOlder();
                return lock;
            }
            // another run created this generation first: look again
        }
        Lease top = newest(fs, dir);
        throw locked(fs, dir, top == null ? null : read(fs, top.path()), null, staleAfter);
    }

    public Holder holder() {
        return holder;
    }

    /**
     * Throws {@link LeaseLostException} when this run no longer holds the lock: a later generation was
     * seen, or the lease has not been renewed for lock.stale-after by this process's clock. No I/O.
     */
    public void check() {
        if (lost == null) {
            long since = clock.getAsLong() - renewedAt;
            if (since > staleAfter.toMillis()) {
                lost = "its lease was not renewed for " + since / 1000 + " s (lock.stale-after = " + text(staleAfter)
                        + "): another run may hold the lock now";
            }
        }
        if (lost != null) {
            throw new LeaseLostException("run " + holder.runId() + " lost the experiment's lock "
                    + fs.makeQualified(dir) + ": " + lost + "; it stopped before writing anything more");
        }
    }

    /** {@link #check}, after reading the lock folder (before moving a pointer or writing the model). */
    public void verify() {
        look();
        check();
    }

    /** One heartbeat: the lease still this run's (else lost), then renewed. */
    void renew() {
        try {
            if (look()) {
                fs.setTimes(lease, clock.getAsLong(), -1);
                renewedAt = clock.getAsLong();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot renew the lock {}: {}", lease, e.getMessage());
        }
    }

    /** Whether the lease is still this run's; records why not. */
    private boolean look() {
        if (lost != null) {
            return false;
        }
        Lease top;
        try {
            top = newest(fs, dir);
        } catch (UncheckedIOException e) {
            LOG.warn("cannot read the lock {}: {}", dir, e.getMessage());
            return true; // not known to be lost: the clock decides
        }
        if (top == null || top.generation() != holder.generation()) {
            Holder other = top == null ? null : read(fs, top.path());
            lost = other == null ? "its lease was removed" : "it was taken over by run " + other.runId() + " (host "
                    + other.host() + ", pid " + other.pid() + ", since " + other.since() + ")";
            return false;
        }
        return true;
    }

    private void touch() {
        try {
            fs.setTimes(lease, clock.getAsLong(), -1);
        } catch (IOException e) {
            LOG.debug("cannot set the lease's time: {}", e.getMessage());
        }
    }

    private void removeOlder() {
        for (Lease l : leases(fs, dir)) {
            if (l.generation() < holder.generation()) {
                try {
                    fs.delete(l.path(), false);
                } catch (IOException e) {
                    LOG.debug("cannot remove the old lease {}: {}", l.path(), e.getMessage());
                }
            }
        }
    }

    /** Releases the lease if it is still this run's (a run that lost it leaves the new holder's alone). */
    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        Holder now = read(fs, lease);
        if (now != null && holder.token().equals(now.token())) {
            try {
                fs.delete(lease, false);
                if (leases(fs, dir).isEmpty()) {
                    fs.delete(dir, false); // fails harmlessly when another run's lease appeared meanwhile
                }
            } catch (IOException e) {
                LOG.debug("releasing the lock {}: {}", lease, e.getMessage());
            }
        }
    }

    private static Path leasePath(Path dir, long generation) {
        return new Path(dir, String.format(Locale.ROOT, "%s%010d", LEASE, generation));
    }

    /** The lease files of {@code dir}, oldest generation first. */
    private static List<Lease> leases(FileSystem fs, Path dir) {
        List<Lease> out = new ArrayList<>();
        FileStatus[] all;
        try {
            all = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock " + dir + ": " + e.getMessage(), e);
        }
        for (FileStatus s : all) {
            String name = s.getPath().getName();
            if (s.isFile() && name.startsWith(LEASE) && name.substring(LEASE.length()).matches("\\d+")) {
                out.add(new Lease(s.getPath(), Long.parseLong(name.substring(LEASE.length())), s.getModificationTime()));
            }
        }
        out.sort(Comparator.comparingLong(Lease::generation));
        return out;
    }

    private static Lease newest(FileSystem fs, Path dir) {
        List<Lease> all = leases(fs, dir);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * A lock file of an earlier version ({@code lock} a file, not a folder): removed when its holder is
     * gone or stale, else the experiment is locked by it.
     */
    private static void legacy(FileSystem fs, Path dir, LongSupplier clock, Duration staleAfter, String host) {
        FileStatus s;
        try {
            s = fs.getFileStatus(dir);
        } catch (FileNotFoundException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock " + dir + ": " + e.getMessage(), e);
        }
        if (!s.isFile()) {
            return;
        }
        takeOver(fs, dir, read(fs, dir), s.getModificationTime(), clock, staleAfter, host, null);
        try {
            fs.delete(dir, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale lock " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Throws {@link ExperimentLockedException} while {@code other}'s lease (renewed at {@code modified})
     * holds: its process alive or on another host, and renewed within staleAfter, and not an earlier
     * attempt of this driver's application. Otherwise warns that it is taken over.
     */
    private static void takeOver(FileSystem fs, Path dir, Holder other, long modified, LongSupplier clock,
                                 Duration staleAfter, String host, Attempt attempt) {
        Duration idle = Duration.ofMillis(Math.max(0, clock.getAsLong() - modified));
        boolean earlierAttempt = other != null && attempt != null && attempt.follows(other.launchAttempt());
        boolean gone = earlierAttempt || other != null && other.host().equals(host)
                && ProcessHandle.of(other.pid()).map(p -> !p.isAlive()).orElse(true);
        if (!gone && idle.compareTo(staleAfter) <= 0) {
            throw locked(fs, dir, other, idle, staleAfter);
        }
        LOG.warn("taking over the lock {} of run {} (host {}, pid {}): {}", fs.makeQualified(dir),
                other == null ? "?" : other.runId(), other == null ? "?" : other.host(),
                other == null ? "?" : other.pid(), earlierAttempt ? "it ran in " + other.launchAttempt()
                        + ", which has ended (this is " + attempt + ")" : gone ? "its process has ended"
                        : "not renewed for " + idle.toSeconds() + " s (lock.stale-after = " + text(staleAfter) + ")");
    }

    /** Creates {@code path} with {@code me} if it does not exist, atomically; false if it does. */
    private static boolean create(FileSystem fs, Path path, Holder me) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(me);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            RawLocalFileSystem local = local(fs);
            if (local != null) {
                // Hadoop's local create checks, then creates: O_EXCL is the atomic one
                java.nio.file.Path file = local.pathToFile(path).toPath();
                Files.createDirectories(file.getParent());
                Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            }
            try (FSDataOutputStream out = fs.create(path, false)) {
                out.write(bytes);
            }
            return true;
        } catch (java.nio.file.FileAlreadyExistsException | FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (read(fs, path) != null) {
                return false;
            }
            throw new UncheckedIOException("cannot create the lock " + path + ": " + e.getMessage(), e);
        }
    }

    /** The local file system under {@code fs} (a local disk, whatever its scheme), or null. */
    private static RawLocalFileSystem local(FileSystem fs) {
        if (fs instanceof RawLocalFileSystem raw) {
            return raw;
        }
        if (fs instanceof LocalFileSystem checksummed && checksummed.getRawFileSystem() instanceof RawLocalFileSystem raw) {
            return raw;
        }
        return null;
    }

    private static ExperimentLockedException locked(FileSystem fs, Path dir, Holder h, Duration idle,
                                                    Duration staleAfter) {
        String who = h == null ? "another run" : "run " + h.runId() + " (host " + h.host() + ", pid " + h.pid()
                + ", since " + h.since() + ")";
        String renewed = idle == null ? "" : ", renewed " + idle.toSeconds() + " s ago";
        return new ExperimentLockedException("the experiment " + fs.makeQualified(dir.getParent()) + " is locked by "
                + who + renewed + "; it is taken over when its holder has ended, or after lock.stale-after = "
                + text(staleAfter) + " without a renewal");
    }

    private static String text(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static Holder read(FileSystem fs, Path path) {
        try (var in = fs.open(path)) {
            return JSON.readValue(in.readAllBytes(), Holder.class);
        } catch (IOException | RuntimeException e) {
            return null; // gone, being written, or damaged
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** This run held the lock and lost it (taken over, or not renewed in time). */
    public static final class LeaseLostException extends ExperimentLockedException {
        public LeaseLostException(String message) {
            super(message);
        }
    }
}
