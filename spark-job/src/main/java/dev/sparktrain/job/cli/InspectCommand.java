package dev.sparktrain.job.cli;

import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.config.ConfigException;
import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.RunRecord;
import dev.sparktrain.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code inspect}: what an experiment, a run or a directory of checkpoints holds, as tables (runs with
 * their status, epochs, steps, last metrics and size; checkpoints with theirs), each checkpoint verified
 * against its checksums with {@code --verify}; or the resolved config of one run or checkpoint.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what PATH holds: an experiment directory (output.dir), a run directory, a checkpoint "
                + "directory or a directory of checkpoints (checkpoint.dir), on any Hadoop file system.",
                "Runs: id, status, epochs, global step, last train/val loss and val metric, size, start. "
                        + "Checkpoints: epoch, global step, last metrics, size, creation time."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown (and with --verify every checkpoint verified)",
                "1:with --verify, a checkpoint does not verify (each named with its first bad file); I/O failed",
                "2:bad usage (a PATH that holds none of these, an unknown --config name)"})
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "an experiment, run, checkpoint or checkpoints "
            + "directory (any Hadoop URI)")
    String path;

    @Option(names = "--verify", description = "check every checkpoint's files against the SHA-256 sums in its "
            + "metadata.json")
    boolean verify;

    @Option(names = "--config", arity = "0..1", fallbackValue = "", paramLabel = "RUN_OR_CHECKPOINT",
            description = "print only the resolved config (config.json): of PATH's run or checkpoint (an "
                    + "experiment: its newest run; a directory of checkpoints: the latest), or of the run id or "
                    + "checkpoint name given, in PATH")
    String config;

    private enum Kind { EXPERIMENT, RUN, CHECKPOINT, CHECKPOINTS, CHECKPOINT_ROOT }

    @Override
    public Integer call() {
        if (config != null && verify) {
            throw new ConfigException("--config prints a config alone: give --verify on its own");
        }
        Configuration hadoop = HadoopSettings.fromSparkConf();
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(hadoop);
            Kind kind = kind(fs, p, hadoop);
            if (config != null) {
                Path dir = configDir(fs, p, kind, hadoop);
                System.out.print(withNewline(read(fs, new Path(dir, CheckpointStore.CONFIG))));
                return 0;
            }
            Listing listing = new Listing(hadoop, verify, System.out);
            switch (kind) {
                case EXPERIMENT -> listing.experiment(new Experiment(path, hadoop));
                case RUN -> listing.run(fs.makeQualified(p).toString());
                case CHECKPOINT -> listing.checkpoint(path);
                case CHECKPOINTS -> listing.checkpoints(path, null);
                default -> {
                    for (Path d : checkpointDirs(fs, p, hadoop)) {
                        listing.checkpoints(d.toString(), "run " + d.getName());
                    }
                }
            }
            System.out.flush();
            listing.failures().forEach(f -> spec.commandLine().getErr().println(f));
            return listing.failures().isEmpty() ? 0 : 1;
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot read " + path + ": " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) { // its message names the file
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
    }

    private Kind kind(FileSystem fs, Path p, Configuration hadoop) throws IOException {
        if (!fs.exists(p)) {
            throw new ConfigException("inspect PATH " + path + " does not exist");
        }
        if (!fs.getFileStatus(p).isDirectory()) {
            throw new ConfigException("inspect PATH must be a directory, found the file " + path);
        }
        if (fs.exists(new Path(p, CheckpointStore.METADATA))) {
            return Kind.CHECKPOINT;
        }
        if (fs.exists(new Path(p, Experiment.RECORD)) || fs.exists(new Path(p, RunDirectory.METRICS))) {
            return Kind.RUN;
        }
        if (fs.isDirectory(new Path(p, Experiment.RUNS))) {
            return Kind.EXPERIMENT;
        }
        if (!new CheckpointStore(path, 1, hadoop).checkpoints().isEmpty()) {
            return Kind.CHECKPOINTS;
        }
        if (!checkpointDirs(fs, p, hadoop).isEmpty()) {
            return Kind.CHECKPOINT_ROOT;
        }
        throw new ConfigException("inspect PATH " + path + " is none of: an experiment directory (with "
                + Experiment.RUNS + "/), a run directory (with " + Experiment.RECORD + " or " + RunDirectory.METRICS
                + "), a checkpoint directory (with " + CheckpointStore.METADATA + "), a directory of checkpoints");
    }

    /** The subdirectories of a checkpoint.dir that hold checkpoints (one per run). */
    private static List<Path> checkpointDirs(FileSystem fs, Path p, Configuration hadoop) throws IOException {
        List<Path> out = new ArrayList<>();
        for (FileStatus st : fs.listStatus(p)) {
            if (st.isDirectory() && !new CheckpointStore(st.getPath().toString(), 1, hadoop).checkpoints().isEmpty()) {
                out.add(st.getPath());
            }
        }
        out.sort(Comparator.comparing(Path::getName));
        return out;
    }

    /** The directory whose config.json --config names (see its description). */
    private Path configDir(FileSystem fs, Path p, Kind kind, Configuration hadoop) throws IOException {
        List<Path> candidates = new ArrayList<>();
        if (config.isEmpty()) {
            switch (kind) {
                case EXPERIMENT -> new Experiment(path, hadoop).newest()
                        .ifPresent(r -> candidates.add(new Path(p, Experiment.RUNS + "/" + r.runId())));
                case CHECKPOINTS -> candidates.add(latest(p, hadoop));
                case CHECKPOINT_ROOT -> throw new ConfigException("--config needs a name in a checkpoint.dir of "
                        + "several runs: --config=RUN_ID/CHECKPOINT");
                default -> candidates.add(p);
            }
        } else {
            candidates.add(new Path(p, Experiment.RUNS + "/" + config));
            if (kind == Kind.RUN) {
                Optional<RunRecord> record = Experiment.recordIn(path, hadoop);
                candidates.add(new Path(Listing.checkpointsOf(fs.makeQualified(p).toString(), record), config));
            }
            candidates.add(new Path(p, config));
            candidates.add(new Path(config));
        }
        for (Path c : candidates) {
            if (fs.exists(new Path(c, CheckpointStore.CONFIG))) {
                return c;
            }
        }
        throw new ConfigException("--config" + (config.isEmpty() ? "" : "=" + config) + ": " + path
                + (config.isEmpty() ? " has no run or checkpoint with a " : " has no run or checkpoint of that name "
                + "with a ") + CheckpointStore.CONFIG);
    }

    /** The checkpoint the latest pointer names, else the last by name. */
    private static Path latest(Path dir, Configuration hadoop) {
        CheckpointStore store = new CheckpointStore(dir.toString(), 1, hadoop);
        List<Path> all = store.checkpoints();
        return store.latestName().map(n -> new Path(dir, n)).orElse(all.get(all.size() - 1));
    }

    private static String read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String withNewline(String s) {
        return s.endsWith("\n") ? s : s + "\n";
    }
}
