package dev.sparktrain.job.cli;

import dev.sparktrain.checkpoint.BadFile;
import dev.sparktrain.checkpoint.CheckpointException;
import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.checkpoint.CheckpointSummary;
import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.RunRecord;
import dev.sparktrain.run.RunDirectory;
import dev.sparktrain.train.EpochMetrics;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.StringUtils;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The tables {@code inspect} prints: runs as their run.json (or metrics.jsonl) tell them, checkpoints as
 * their metadata.json tells them, each checkpoint verified against its checksums on request.
 */
final class Listing {
    private static final List<String> RUN_COLUMNS = List.of("run", "status", "epochs", "step", "train_loss",
            "val_loss", "val_metric", "size", "started");
    private static final String[] FIGURES = {"epochs", "epoch", "step", "train_loss", "val_loss", "size"};

    private final Configuration hadoop;
    private final boolean verify;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();
    private boolean started;

    Listing(Configuration hadoop, boolean verify, PrintStream out) {
        this.hadoop = hadoop;
        this.verify = verify;
        this.out = out;
    }

    /** One line per checkpoint that did not verify, naming it and its first bad file. */
    List<String> failures() {
        return failures;
    }

    /** The experiment's pointers, its runs, and each run's checkpoints. */
    void experiment(Experiment experiment) {
        section("experiment " + experiment.location());
        out.println("production: " + experiment.pointer(Experiment.PRODUCTION).orElse("-") + "  latest: "
                + experiment.pointer(Experiment.LATEST).orElse("-"));
        List<RunRecord> runs = experiment.runs();
        if (runs.isEmpty()) {
            out.println("no runs yet");
            return;
        }
        TextTable table = new TextTable(RUN_COLUMNS, FIGURES);
        for (RunRecord r : runs) {
            table.add(runRow(experiment.runDir(r.runId()), Optional.of(r)));
        }
        section(null);
        out.print(table.render());
        for (RunRecord r : runs) {
            checkpoints(checkpointsOf(experiment.runDir(r.runId()), Optional.of(r)), "run " + r.runId());
        }
    }

    /** One run directory and its checkpoints. */
    void run(String runDir) {
        Optional<RunRecord> record = Experiment.recordIn(runDir, hadoop);
        TextTable table = new TextTable(RUN_COLUMNS, FIGURES);
        table.add(runRow(runDir, record));
        section(null);
        out.print(table.render());
        checkpoints(checkpointsOf(runDir, record), "run " + new Path(runDir).getName());
    }

    /** Where a run checkpoints: as its run.json says, else its own checkpoints/ directory. */
    static String checkpointsOf(String runDir, Optional<RunRecord> record) {
        return record.map(RunRecord::checkpoints).filter(c -> c != null && !c.isBlank())
                .orElse(runDir + "/checkpoints");
    }

    /** The checkpoints of directory {@code dir}, by epoch and step, headed by whose they are (null: PATH's own). */
    void checkpoints(String dir, String whose) {
        CheckpointStore store = new CheckpointStore(dir, 1, hadoop);
        List<Path> found = store.checkpoints();
        String of = whose == null ? "" : " of " + whose;
        if (found.isEmpty()) {
            section("no checkpoints" + of + " in " + store.location());
            return;
        }
        section("checkpoints" + of + " in " + store.location() + " (latest: " + store.latestName().orElse("-") + ")");
        List<CheckpointSummary> readable = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path p : found) {
            try {
                readable.add(CheckpointSummary.read(p.toString(), hadoop));
            } catch (CheckpointException e) {
                unreadable.add(p.getName() + ": " + e.getMessage());
                verify(store, p);
            }
        }
        readable.sort(Comparator.comparingInt(CheckpointSummary::epoch).thenComparingLong(
                CheckpointSummary::globalStep).thenComparing(CheckpointSummary::name));
        table(store, readable);
        unreadable.forEach(u -> out.println("unreadable " + u));
    }

    /** One checkpoint directory. */
    void checkpoint(String uri) {
        CheckpointSummary c = CheckpointSummary.read(uri, hadoop);
        section(null);
        table(new CheckpointStore(new Path(c.location()).getParent().toString(), 1, hadoop), List.of(c));
    }

    /** Starts a section: a blank line after what came before, then its heading, if any. */
    private void section(String heading) {
        if (started) {
            out.println();
        }
        started = true;
        if (heading != null) {
            out.println(heading);
        }
    }

    private void table(CheckpointStore store, List<CheckpointSummary> checkpoints) {
        List<String> columns = new ArrayList<>(List.of("checkpoint", "epoch", "step", "train_loss", "val_loss",
                "val_metric", "size", "created"));
        if (verify) {
            columns.add("verified");
        }
        TextTable table = new TextTable(columns, FIGURES);
        for (CheckpointSummary c : checkpoints) {
            List<String> row = new ArrayList<>(List.of(c.name(), c.epochText(),
                    Long.toString(c.globalStep()), loss(c.last(), true), loss(c.last(), false), metric(c.last()),
                    StringUtils.byteDesc(c.bytes()), time(c.createdAt())));
            if (verify) {
                row.add(verify(store, new Path(c.location())).map(b -> "FAILED (" + b.name() + ")").orElse("ok"));
            }
            table.add(row);
        }
        out.print(table.render());
    }

    private Optional<BadFile> verify(CheckpointStore store, Path checkpoint) {
        if (!verify) {
            return Optional.empty();
        }
        Optional<BadFile> bad = store.verify(checkpoint);
        bad.ifPresent(b -> failures.add("checkpoint " + checkpoint + " does not verify: " + b));
        return bad;
    }

    private List<String> runRow(String runDir, Optional<RunRecord> record) {
        List<EpochMetrics> history = record.isPresent() && record.get().finalMetrics() != null ? List.of()
                : RunDirectory.readMetrics(runDir, hadoop).orElse(List.of());
        EpochMetrics last = record.map(RunRecord::finalMetrics)
                .orElse(history.isEmpty() ? null : history.get(history.size() - 1));
        Integer epochs = record.map(RunRecord::epochs).orElse(history.size());
        return List.of(new Path(runDir).getName(), record.map(r -> r.status().text()).orElse("-"),
                epochs == null ? "-" : epochs.toString(), last == null ? "-" : Long.toString(last.step()),
                loss(last, true), loss(last, false), metric(last), StringUtils.byteDesc(size(runDir)),
                time(record.map(RunRecord::start).orElse(null)));
    }

    private long size(String dir) {
        Path p = new Path(dir);
        try {
            return p.getFileSystem(hadoop).getContentSummary(p).getLength();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String loss(EpochMetrics m, boolean train) {
        double v = m == null ? Double.NaN : train ? m.trainLoss() : m.valLoss();
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** "accuracy 0.8512", "mse 0.1072", or "-". */
    private static String metric(EpochMetrics m) {
        String name = m == null ? null : m.headlineName();
        return name == null ? "-" : String.format(Locale.ROOT, "%s %.4f", name, m.headline());
    }

    /** An ISO instant to the second ("2026-12-02T06:15:00Z"), as written if it is none, "-" if absent. */
    private static String time(String iso) {
        if (iso == null || iso.isBlank()) {
            return "-";
        }
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }
}
