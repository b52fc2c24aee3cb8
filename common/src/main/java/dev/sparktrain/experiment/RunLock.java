package dev.sparktrain.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lock of an experiment, {@code <output.dir>/lock}: a small JSON file created exclusively through
 * the FileSystem API (on HDFS the namenode makes the create atomic), naming the holder's host, process,
 * run id, start time and a token. While held, a daemon thread refreshes its modification time. Another
 * run takes it over, with a warning, when its holder is known to be gone (same host, process ended) or
 * when it has not been refreshed for {@code staleAfter} (a holder on another host cannot be asked).
 * Otherwise acquiring fails with {@link ExperimentLockedException}, naming the holder.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The lock file's content. */
    public record Holder(String host, long pid, String runId, String since, String token) {
    }

    private final FileSystem fs;
    private final Path path;
    private final Holder holder;
    private final ScheduledExecutorService heartbeat;

    private RunLock(FileSystem fs, Path path, Holder holder, Duration staleAfter) {
        this.fs = fs;
        this.path = path;
        this.holder = holder;
        long period = Math.max(1000, Math.min(60_000, staleAfter.toMillis() / 4));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sparktrain-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(this::refresh, period, period, TimeUnit.MILLISECONDS);
    }

    /** Takes the lock at {@code path} for {@code runId}, or fails naming its holder. */
    public static RunLock acquire(FileSystem fs, Path path, String runId, Duration staleAfter) {
        Holder me = new Holder(host(), ProcessHandle.current().pid(), runId, Instant.now().toString(),
                UUID.randomUUID().toString());
        if (create(fs, path, me)) {
            return new RunLock(fs, path, me, staleAfter);
        }
        Holder other = read(fs, path);
        FileStatus status = status(fs, path);
        if (status == null) { // released meanwhile
            if (create(fs, path, me)) {
                return new RunLock(fs, path, me, staleAfter);
            }
            throw locked(fs, path, read(fs, path), null, staleAfter);
        }
        Duration idle = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - status.getModificationTime()));
        boolean gone = other != null && other.host().equals(me.host())
                && ProcessHandle.of(other.pid()).map(p -> !p.isAlive()).orElse(true);
        if (gone || idle.compareTo(staleAfter) > 0) {
            LOG.warn("taking over the lock {} of run {} (host {}, pid {}): {}", fs.makeQualified(path),
                    other == null ? "?" : other.runId(), other == null ? "?" : other.host(),
                    other == null ? "?" : other.pid(), gone ? "its process has ended"
                            : "not refreshed for " + idle.toSeconds() + " s (lock.stale-after = " + staleAfter + ")");
            try {
                fs.delete(path, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the stale lock " + path + ": " + e.getMessage(), e);
            }
            if (create(fs, path, me)) {
                return new RunLock(fs, path, me, staleAfter);
            }
            other = read(fs, path); // another run took it over first
        }
        throw locked(fs, path, other, status, staleAfter);
    }

    public Holder holder() {
        return holder;
    }

    /** Releases the lock if it is still this run's (a run that lost it to a takeover leaves it alone). */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        Holder now = read(fs, path);
        if (now != null && holder.token().equals(now.token())) {
            try {
                fs.delete(path, false);
            } catch (IOException e) {
                LOG.warn("cannot release the lock {}: {}", path, e.getMessage());
            }
        }
    }

    private void refresh() {
        try {
            fs.setTimes(path, System.currentTimeMillis(), -1);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot refresh the lock {}: {}", path, e.getMessage());
        }
    }

    private static boolean create(FileSystem fs, Path path, Holder me) {
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(JSON.writeValueAsBytes(me));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (exists(fs, path)) {
                return false;
            }
            throw new UncheckedIOException("cannot create the lock " + path + ": " + e.getMessage(), e);
        }
    }

    private static ExperimentLockedException locked(FileSystem fs, Path path, Holder h, FileStatus status,
                                                    Duration staleAfter) {
        String who = h == null ? "another run" : "run " + h.runId() + " (host " + h.host() + ", pid " + h.pid()
                + ", since " + h.since() + ")";
        String refreshed = status == null ? "" : ", refreshed " + Duration.ofMillis(Math.max(0,
                System.currentTimeMillis() - status.getModificationTime())).toSeconds() + " s ago";
        return new ExperimentLockedException("the experiment " + fs.makeQualified(path.getParent()) + " is locked by "
                + who + refreshed + "; it is taken over when its holder has ended, or after lock.stale-after = "
                + staleAfter.toString().substring(2).toLowerCase(java.util.Locale.ROOT) + " without a refresh");
    }

    private static Holder read(FileSystem fs, Path path) {
        try (var in = fs.open(path)) {
            return JSON.readValue(in.readAllBytes(), Holder.class);
        } catch (IOException | RuntimeException e) {
            return null; // gone, being written, or damaged
        }
    }

    private static FileStatus status(FileSystem fs, Path path) {
        try {
            return fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(FileSystem fs, Path path) {
        return status(fs, path) != null;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
