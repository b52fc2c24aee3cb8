package dev.sparktrain.job.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.run.Failure;
import dev.sparktrain.run.RunOutcome;
import dev.sparktrain.run.TrainingResult;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code train --outcome URI}: how the command ended, written to any Hadoop file system URI so that a
 * launcher on another host reads it where the exit code does not reach (YARN and standalone cluster
 * deploy mode, where the driver runs elsewhere). Written once, at every end: a result, a failure
 * (config, lock, run), a usage error, or a signal (SIGTERM: {@code interrupted}); {@code sparktrain
 * outcome URI} prints its line and exits with its code.
 */
final class OutcomeFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the file holds. */
    record Outcome(@JsonProperty("outcome") String outcome, @JsonProperty("exit_code") int exitCode,
                   @JsonProperty("line") String line, @JsonProperty("run_id") String runId,
                   @JsonProperty("end") String end) {
    }

    private final String uri;
    private final Runnable hook = () -> write(new Outcome("interrupted", 1,
            "interrupted: stopped by a signal (SIGTERM or Ctrl-C) before it ended", null, Instant.now().toString()));
    private boolean written;

    private OutcomeFile(String uri) {
        this.uri = uri;
        ShutdownHookManager.get().addShutdownHook(hook, 50);
    }

    /** The file {@code --outcome} names in {@code args} (before anything is parsed), or null. */
    static OutcomeFile fromArgs(String... args) {
        List<String> all = List.of(args);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).equals("--outcome") && i + 1 < all.size()) {
                return new OutcomeFile(all.get(i + 1));
            }
            if (all.get(i).startsWith("--outcome=")) {
                return new OutcomeFile(all.get(i).substring("--outcome=".length()));
            }
        }
        return null;
    }

    void result(TrainingResult r) {
        String promotion = r.record() != null && r.record().promotion() != null ? ": " + r.record().promotion().reason()
                : "";
        String line = switch (r.outcome()) {
            case PROMOTED -> "promoted run " + r.runId() + " to production" + promotion;
            case NOT_PROMOTED -> "not promoted (production unchanged)" + promotion;
            case ALREADY_SUCCEEDED -> "run " + r.runId() + " already succeeded: nothing to do";
            case ALREADY_NOT_PROMOTED -> "run " + r.runId() + " already ended not promoted: nothing to do";
            case UNCHANGED -> "data and config unchanged since run " + r.runId() + ": nothing to do";
        };
        write(new Outcome(name(r.outcome()), r.outcome().exitCode(), line, r.runId(), Instant.now().toString()));
    }

    void failure(Failure f) {
        String kind = switch (f.exitCode()) {
            case 2 -> "bad-config";
            case 4 -> "locked";
            default -> "failed";
        };
        write(new Outcome(kind, f.exitCode(), f.line(), null, Instant.now().toString()));
    }

    private static String name(RunOutcome o) {
        return o.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private synchronized void write(Outcome o) {
        if (written) {
            return;
        }
        written = true;
        try {
            Path target = new Path(URI.create(uri));
            Configuration hadoop = new Configuration();
            Experiment.replace(target.getFileSystem(hadoop), hadoop, target,
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("warning: cannot write the outcome to --outcome " + uri + ": " + e.getMessage());
        } finally {
            try {
                ShutdownHookManager.get().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // this is the hook, or the JVM is stopping anyway
            }
        }
    }

    /** The outcome at {@code uri}. */
    static Outcome read(String uri) {
        try {
            Path p = new Path(URI.create(uri));
            try (var in = p.getFileSystem(new Configuration()).open(p)) {
                return JSON.readValue(in.readAllBytes(), Outcome.class);
            }
        } catch (FileNotFoundException e) {
            throw new IllegalStateException("no outcome at " + uri + ": the job ended without writing one (killed, "
                    + "or it never started)");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the outcome at " + uri + ": " + e.getMessage());
        }
    }
}
