package dev.sparktrain.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An experiment directory ({@code output.dir}) on any Hadoop FileSystem: {@code runs/<run-id>/} per
 * run, each with its {@code run.json}; the pointers {@code latest} (the last succeeded run) and
 * {@code production} (the promoted run), small files naming a run id, replaced atomically (a rename
 * over the old file: rename(2) on local disks, Rename.OVERWRITE on HDFS); and the {@code lock}.
 * Writing a run's files never touches another run's.
 */
public final class Experiment {
    public static final String RUNS = "runs";
    public static final String RECORD = "run.json";
    public static final String FINGERPRINT = "fingerprint.json";
    /** A finished run's final model, a DL4J ModelSerializer zip. */
    public static final String MODEL = "model.zip";
    /** A run's resolved config, in its directory. */
    public static final String CONFIG = "config.json";
    public static final String LATEST = "latest";
    public static final String PRODUCTION = "production";
    public static final String LOCK = "lock";
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final FileSystem fs;
    private final Configuration hadoop;

    public Experiment(String uri, Configuration hadoop) {
        this.dir = new Path(uri);
        this.hadoop = hadoop;
        try {
            this.fs = dir.getFileSystem(hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open output.dir = " + uri + ": " + e.getMessage(), e);
        }
    }

    public String location() {
        return fs.makeQualified(dir).toString();
    }

    /** The directory of run {@code runId}. */
    public String runDir(String runId) {
        return location() + "/" + RUNS + "/" + runId;
    }

    /** A new run id from the time: its UTC second, with a suffix if that id is taken. */
    public String newRunId(Instant now) {
        String base = RUN_ID.format(now);
        String id = base;
        for (int i = 2; exists(new Path(runDir(id))); i++) {
            id = base + "-" + i;
        }
        return id;
    }

    /** Takes the experiment's lock for {@code runId} with the default heartbeat (see {@link RunLock}). */
    public RunLock lock(String runId, Duration staleAfter) {
        return lock(runId, Duration.ofMillis(Math.max(100, Math.min(30_000, staleAfter.toMillis() / 3))), staleAfter,
                "");
    }

    /**
     * Takes the experiment's lock for {@code runId}, a lease renewed every {@code heartbeat} (see
     * {@link RunLock}): in {@code output.dir/lock}, or with {@code lockDir} in a folder there named after
     * output.dir.
     */
    public RunLock lock(String runId, Duration heartbeat, Duration staleAfter, String lockDir) {
        return lock(runId, heartbeat, staleAfter, lockDir, Attempt.current().orElse(null));
    }

    /** As a driver in the cluster manager's {@code attempt} (null: none), which takes over its earlier attempts' lease. */
    public RunLock lock(String runId, Duration heartbeat, Duration staleAfter, String lockDir, Attempt attempt) {
        try {
            fs.mkdirs(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output.dir = " + location() + ": " + e.getMessage(), e);
        }
        if (lockDir.isEmpty()) {
            return RunLock.acquire(fs, new Path(dir, LOCK), runId, heartbeat, staleAfter, attempt);
        }
        Path elsewhere = new Path(lockDir);
        try {
            FileSystem lockFs = elsewhere.getFileSystem(hadoop);
            String name = LOCK + "-" + org.apache.commons.codec.digest.DigestUtils.sha256Hex(location()).substring(0, 16);
            return RunLock.acquire(lockFs, new Path(lockFs.makeQualified(elsewhere), name), runId, heartbeat,
                    staleAfter, attempt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach lock.dir = " + lockDir + ": " + e.getMessage(), e);
        }
    }

    /** The run.json of {@code runId}, if that run got as far as writing one. */
    public Optional<RunRecord> run(String runId) {
        Path p = new Path(runDir(runId), RECORD);
        try {
            return Optional.of(readRecord(fs, p));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** The run.json in run directory {@code runDir} (any Hadoop URI, wherever it lies), if it has one. */
    public static Optional<RunRecord> recordIn(String runDir, Configuration hadoop) {
        Path p = new Path(runDir, RECORD);
        try {
            return Optional.of(readRecord(p.getFileSystem(hadoop), p));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** Reads one run.json. */
    static RunRecord readRecord(FileSystem fs, Path p) throws IOException {
        try (var in = fs.open(p)) {
            return JSON.readValue(in.readAllBytes(), RunRecord.class);
        }
    }

    /** Every run with a run.json, oldest first (by start time, then id). */
    public List<RunRecord> runs() {
        List<RunRecord> out = new ArrayList<>();
        Path runs = new Path(dir, RUNS);
        try {
            if (!fs.exists(runs)) {
                return out;
            }
            for (FileStatus st : fs.listStatus(runs)) {
                if (st.isDirectory()) {
                    run(st.getPath().getName()).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runs + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(RunRecord::start).thenComparing(RunRecord::runId));
        return out;
    }

    /** The newest run (by start time), if there is one. */
    public Optional<RunRecord> newest() {
        List<RunRecord> all = runs();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The newest finished run that saw data and config of the same fingerprint, if any. */
    public Optional<RunRecord> finishedWith(DataFingerprint.Summary fingerprint) {
        List<RunRecord> all = runs();
        for (int i = all.size() - 1; i >= 0; i--) {
            RunRecord r = all.get(i);
            if (r.status().finished() && fingerprint.equals(r.fingerprint())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Writes a run's run.json (under a temporary name, then renamed over the old one). */
    public void write(RunRecord record) {
        try {
            replace(new Path(runDir(record.runId()), RECORD), JSON.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run.json of run " + record.runId() + ": " + e.getMessage(), e);
        }
    }

    /** Writes a run's full data fingerprint beside its run.json. */
    public void writeFingerprint(String runId, DataFingerprint fingerprint) {
        try {
            replace(new Path(runDir(runId), FINGERPRINT), JSON.writeValueAsBytes(fingerprint));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fingerprint of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** The run id {@code pointer} ({@link #LATEST} or {@link #PRODUCTION}) names, if set. */
    public Optional<String> pointer(String pointer) {
        Path p = new Path(dir, pointer);
        try (var in = fs.open(p)) {
            String id = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** Points {@code pointer} at {@code runId}, replacing the old pointer in one rename. */
    public void point(String pointer, String runId) {
        try {
            replace(new Path(dir, pointer), (runId + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot point " + pointer + " at run " + runId + ": " + e.getMessage(), e);
        }
    }

    private void replace(Path target, byte[] content) throws IOException {
        replace(fs, hadoop, target, content);
    }

    /**
     * Writes {@code content} to {@code target}, replacing it in one rename where the file system can
     * (rename(2) on local disks, Rename.OVERWRITE on HDFS): a reader sees the old or the new file.
     */
    public static void replace(FileSystem fs, Configuration hadoop, Path target, byte[] content) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        fs.mkdirs(target.getParent());
        try (FSDataOutputStream out = fs.create(tmp, false)) {
            out.write(content);
        }
        // rename(2) replaces the target atomically on local disks; HDFS refuses an existing target
        if (fs.rename(tmp, target)) {
            return;
        }
        try {
            FileContext.getFileContext(fs.makeQualified(target).toUri(), hadoop)
                    .rename(fs.makeQualified(tmp), fs.makeQualified(target), Options.Rename.OVERWRITE);
        } catch (UnsupportedFileSystemException e) {
            fs.delete(target, false); // no atomic replace on this file system
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
        }
    }

    private boolean exists(Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
