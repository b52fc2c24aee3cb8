package dev.sparktrain.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.optim.StateDict;
import dev.sparktrain.train.TrainingSnapshot;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Saves and loads checkpoints in one directory of a Hadoop FileSystem. See the package documentation. */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    static final String LATEST = "latest";
    static final String PARAMS = "params.bin";
    static final String OPTIMIZER = "optimizer.bin";
    /** The resolved config the checkpoint's run was trained with. */
    public static final String CONFIG = "config.json";
    /** The DL4J model.zip of a checkpoint's parameters. */
    public static final String MODEL = "model.zip";
    /** What marks a checkpoint directory: its metadata, with the checksums of its files. */
    public static final String METADATA = "metadata.json";
    private static final String PREFIX = "epoch-";
    private static final String STEP = "-step-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final FileSystem fs;
    private final int keep;

    public CheckpointStore(String dirUri, int keep) {
        this(dirUri, keep, new Configuration());
    }

    /** With the caller's Hadoop settings (e.g. Spark's hadoopConfiguration: HA nameservices, s3a credentials). */
    public CheckpointStore(String dirUri, int keep, Configuration hadoop) {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoint.keep must be at least 1, found " + keep);
        }
        this.dir = new Path(dirUri);
        this.keep = keep;
        try {
            this.fs = dir.getFileSystem(hadoop);
        } catch (IOException e) {
            throw new CheckpointException("cannot open the file system of checkpoint.dir " + dirUri + ": "
                    + e.getMessage(), e);
        }
    }

    public String location() {
        return fs.makeQualified(dir).toString();
    }

    /**
     * Writes the snapshot as checkpoint {@code epoch-NNNNNN} (after epoch N) or, inside epoch N + 1,
     * {@code epoch-NNNNNN-step-SSSSSSSSS} (global step S), atomically; returns its path. The names sort
     * in training order. A checkpoint at an epoch's end supersedes the mid-epoch ones before it, which
     * are removed.
     */
    public String save(TrainingSnapshot snap, ModelZipWriter modelWriter) {
        String name = name(snap);
        Path tmp = new Path(dir, "." + name + ".tmp-" + UUID.randomUUID());
        Path target = new Path(dir, name);
        try {
            fs.mkdirs(tmp);
            Map<String, String> sha = new LinkedHashMap<>();
            sha.put(PARAMS, writeFile(new Path(tmp, PARAMS), out -> ArrayFiles.write(Map.of("params", snap.params()), out)));
            sha.put(OPTIMIZER, writeFile(new Path(tmp, OPTIMIZER),
                    out -> ArrayFiles.write(snap.optimizerState().buffers(), out)));
            sha.put(CONFIG, writeFile(new Path(tmp, CONFIG),
                    out -> out.write(snap.configJson().getBytes(StandardCharsets.UTF_8))));
            sha.put(MODEL, writeFile(new Path(tmp, MODEL), out -> modelWriter.write(snap.params(), out)));
            CheckpointMetadata meta = new CheckpointMetadata(snap.midEpoch() ? CheckpointMetadata.FORMAT_VERSION
                    : CheckpointMetadata.EPOCH_END_FORMAT, snap.epochsDone(), snap.globalStep(), snap.seed(),
                    snap.optimizerState().groups(), snap.optimizerState().steps(), snap.schedulerState(),
                    dev.sparktrain.model.BuildInfo.dl4j(), Instant.now().toString(), sha, snap.history(),
                    snap.position());
            writeFile(new Path(tmp, METADATA), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, meta));
            if (fs.exists(target)) {
                fs.delete(target, true); // a checkpoint of the same epoch from an earlier, superseded attempt
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
            updateLatest(name);
            prune(name);
            return fs.makeQualified(target).toString();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw new CheckpointException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** The newest valid checkpoint: the one {@code latest} names if valid, else the newest that verifies. */
    public Optional<TrainingSnapshot> loadLatest() {
        List<String> candidates = new ArrayList<>();
        try {
            if (!fs.exists(dir)) {
                return Optional.empty();
            }
            latestName().ifPresent(candidates::add);
            for (String name : checkpointNames()) {
                if (!candidates.contains(name)) {
                    candidates.add(name);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot list checkpoint.dir " + location() + ": " + e.getMessage(), e);
        }
        for (String name : candidates) {
            try {
                return Optional.of(load(new Path(dir, name)));
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping invalid checkpoint {}: {}", new Path(dir, name), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Loads and verifies one checkpoint directory. */
    public TrainingSnapshot load(Path checkpoint) throws IOException {
        CheckpointMetadata meta = JSON.readValue(readAll(new Path(checkpoint, METADATA)), CheckpointMetadata.class);
        if (meta.formatVersion() < 1 || meta.formatVersion() > CheckpointMetadata.FORMAT_VERSION) {
            throw new IOException("unsupported checkpoint format version " + meta.formatVersion() + " in "
                    + checkpoint + " (this build reads 1 to " + CheckpointMetadata.FORMAT_VERSION + ")");
        }
        for (Map.Entry<String, String> e : meta.sha256().entrySet()) {
            Optional<BadFile> bad = check(checkpoint, e.getKey(), e.getValue());
            if (bad.isPresent()) {
                throw new IOException(new Path(checkpoint, e.getKey()) + ": " + bad.get().problem());
            }
        }
        INDArray params;
        try (InputStream in = fs.open(new Path(checkpoint, PARAMS))) {
            params = ArrayFiles.read(in).get("params");
        }
        Map<String, INDArray> buffers;
        try (InputStream in = fs.open(new Path(checkpoint, OPTIMIZER))) {
            buffers = ArrayFiles.read(in);
        }
        String config = new String(readAll(new Path(checkpoint, CONFIG)), StandardCharsets.UTF_8);
        return new TrainingSnapshot(meta.epoch(), meta.globalStep(), params,
                new StateDict(meta.optimizerGroups(), meta.optimizerSteps(), buffers), meta.scheduler(), meta.seed(),
                config, meta.history(), meta.position());
    }

    /**
     * Checks the files of checkpoint directory {@code checkpoint} against the SHA-256 sums of its
     * metadata.json, reading nothing else of the metadata (so every format version verifies). Empty when
     * all match; else the first file that does not (or metadata.json itself, unreadable), and why.
     */
    public Optional<BadFile> verify(Path checkpoint) {
        JsonNode sums;
        try {
            sums = CheckpointSummary.metadata(fs, checkpoint).path("sha256");
        } catch (IOException e) {
            return Optional.of(new BadFile(METADATA, e.getMessage()));
        }
        if (!sums.isObject() || sums.isEmpty()) {
            return Optional.of(new BadFile(METADATA, "it holds no sha256 checksums"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = sums.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Optional<BadFile> bad = check(checkpoint, e.getKey(), e.getValue().asText());
            if (bad.isPresent()) {
                return bad;
            }
        }
        return Optional.empty();
    }

    private Optional<BadFile> check(Path checkpoint, String name, String expected) {
        String actual;
        try {
            actual = sha256(new Path(checkpoint, name));
        } catch (FileNotFoundException e) {
            return Optional.of(new BadFile(name, "missing"));
        } catch (IOException e) { // on local disks Hadoop's own .crc check may notice first
            return Optional.of(new BadFile(name, "cannot read it: " + e.getMessage()));
        }
        return actual.equals(expected) ? Optional.empty() : Optional.of(new BadFile(name,
                "checksum mismatch: expected sha256 " + expected + ", found " + actual));
    }

    /**
     * Every checkpoint directory of the store (a directory holding metadata.json, whatever its name), by
     * name; {@link CheckpointSummary#read} says their epochs and steps.
     */
    public List<Path> checkpoints() {
        List<Path> out = new ArrayList<>();
        try {
            if (!fs.exists(dir)) {
                return out;
            }
            for (FileStatus st : fs.listStatus(dir)) {
                Path p = st.getPath();
                if (st.isDirectory() && !p.getName().startsWith(".") && fs.exists(new Path(p, METADATA))) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot list checkpoint.dir " + location() + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Path::getName));
        return out;
    }

    /** The name of the checkpoint the {@code latest} pointer names, unless the pointer is missing or damaged. */
    public Optional<String> latestName() {
        Path latest = new Path(dir, LATEST);
        String named;
        try {
            if (!fs.exists(latest)) {
                return Optional.empty();
            }
            named = new String(readAll(latest), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            LOG.warn("cannot read {} ({}); using the newest valid checkpoint", latest, e.getMessage());
            return Optional.empty();
        }
        if (!named.startsWith(PREFIX) || named.contains("/")) {
            LOG.warn("ignoring a damaged {} pointer ('{}'); using the newest valid checkpoint", latest, named);
            return Optional.empty();
        }
        return Optional.of(named);
    }

    private List<String> checkpointNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus st : fs.listStatus(dir)) {
            String n = st.getPath().getName();
            if (st.isDirectory() && n.startsWith(PREFIX)) {
                names.add(n);
            }
        }
        names.sort(Comparator.reverseOrder());
        return names;
    }

    private void updateLatest(String name) throws IOException {
        Path tmp = new Path(dir, "." + LATEST + ".tmp-" + UUID.randomUUID());
        writeFile(tmp, out -> out.write(name.getBytes(StandardCharsets.UTF_8)));
        Path latest = new Path(dir, LATEST);
        // between delete and rename no pointer exists; loading then falls back to the newest directory
        fs.delete(latest, false);
        if (!fs.rename(tmp, latest)) {
            throw new IOException("rename " + tmp + " -> " + latest + " failed");
        }
    }

    static String name(TrainingSnapshot snap) {
        String epoch = String.format("%s%06d", PREFIX, snap.epochsDone());
        return snap.midEpoch() ? String.format("%s%s%09d", epoch, STEP, snap.globalStep()) : epoch;
    }

    /**
     * Keeps the {@code keep} newest checkpoints, never the one just written; a checkpoint at an epoch's
     * end removes the mid-epoch ones before it.
     */
    private void prune(String justWritten) throws IOException {
        List<String> names = checkpointNames();
        names.remove(justWritten);
        if (!justWritten.contains(STEP)) {
            for (String n : List.copyOf(names)) {
                if (n.contains(STEP) && n.compareTo(justWritten) < 0) {
                    fs.delete(new Path(dir, n), true);
                    names.remove(n);
                }
            }
        }
        for (int i = keep - 1; i < names.size(); i++) {
            fs.delete(new Path(dir, names.get(i)), true);
        }
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private String writeFile(Path path, Body body) throws IOException {
        MessageDigest md = sha256Digest();
        FSDataOutputStream raw = fs.create(path, false);
        try {
            body.write(new DigestOutputStream(raw, md));
        } catch (IOException | RuntimeException e) {
            // not try-with-resources: after a failed write HDFS's close() rethrows the very same exception, and
            // e.addSuppressed(e) would replace it with "IllegalArgumentException: Self-suppression not permitted"
            try {
                raw.close();
            } catch (IOException | RuntimeException closing) {
                if (closing != e) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        raw.close();
        return HexFormat.of().formatHex(md.digest());
    }

    private String sha256(Path path) throws IOException {
        MessageDigest md = sha256Digest();
        try (FSDataInputStream raw = fs.open(path); DigestInputStream in = new DigestInputStream(raw, md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private byte[] readAll(Path path) throws IOException {
        try (FSDataInputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    private void deleteQuietly(Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException e) {
            LOG.warn("cannot remove temporary checkpoint {}: {}", p, e.getMessage());
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
