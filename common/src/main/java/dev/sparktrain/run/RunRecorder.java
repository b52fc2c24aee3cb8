package dev.sparktrain.run;

import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.RunRecord;
import dev.sparktrain.experiment.RunStatus;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;

/**
 * The one writer of a run's run.json while it runs: its progress epoch by epoch, then how it ended,
 * exactly once. Whichever end comes first is kept: the main thread's (trained, not promoted, failed)
 * or a signal's. A SIGTERM (a scheduler's timeout, Ctrl-C) runs {@link #interrupted} from a shutdown
 * hook that Hadoop's {@link ShutdownHookManager} runs before Spark stops its context and before the
 * file systems close, so the run is recorded as {@code interrupted} with the epoch it was in, not
 * left {@code running} nor turned into the failure that the stopped context causes afterwards. Only
 * SIGKILL (or a lost host) can leave {@code running}.
 */
final class RunRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);
    /** Above Spark's own hook (FileSystem's 10 + 30) and the file systems' (10): this one runs first. */
    static final int SHUTDOWN_PRIORITY = 50;

    private final Experiment experiment;
    private final PrintStream console;
    private final Runnable hook = this::onSignal;
    private RunRecord record;
    private boolean ended;

    RunRecorder(Experiment experiment, RunRecord record, PrintStream console) {
        this.experiment = experiment;
        this.record = record;
        this.console = console;
        experiment.write(record);
        ShutdownHookManager.get().addShutdownHook(hook, SHUTDOWN_PRIORITY);
    }

    synchronized RunRecord record() {
        return record;
    }

    /** Epochs done and the last epoch's metrics (ignored once the run has ended). */
    synchronized void progress(int epochsDone, dev.sparktrain.train.EpochMetrics last) {
        if (!ended) {
            record = record.withProgress(epochsDone, last);
            experiment.write(record);
        }
    }

    /**
     * Trained to its end with the promotion decision; false when a signal had already ended it (the
     * caller then moves no pointer).
     */
    synchronized boolean finished(RunRecord trained) {
        if (ended) {
            return false;
        }
        record = trained;
        experiment.write(record);
        ended = true;
        return true;
    }

    /** Failed with {@code e}: its one line and the end time (nothing when the run had already ended). */
    synchronized void failed(Throwable e) {
        end(RunStatus.FAILED, Failure.of(e).line());
    }

    /** Stopped by a signal. */
    synchronized boolean interrupted(String why) {
        return end(RunStatus.INTERRUPTED, why);
    }

    private boolean end(RunStatus status, String line) {
        if (ended) {
            return false;
        }
        record = record.ended(status, line, Instant.now().toString());
        experiment.write(record);
        ended = true;
        return true;
    }

    private void onSignal() {
        String why;
        synchronized (this) {
            why = "interrupted by a signal (SIGTERM or Ctrl-C) after " + record.epochs() + " epoch(s); started "
                    + "again with its run id or --resume, it continues from its last checkpoint";
        }
        try {
            if (interrupted(why)) {
                console.println("interrupted: run " + record().runId() + " recorded as interrupted after "
                        + record().epochs() + " epoch(s); --resume continues it");
                console.flush();
            }
        } catch (RuntimeException e) {
            LOG.warn("could not record the interrupted run {}: {}", record().runId(), e.getMessage());
        }
    }

    /** The run's earlier end, as the next start of it reports it before resuming. */
    static Optional<String> howItEnded(RunRecord r) {
        return switch (r.status()) {
            case RUNNING -> Optional.of("run " + r.runId() + " was interrupted: its run.json still says running "
                    + "(its process was killed without recording its end)");
            case INTERRUPTED -> Optional.of("run " + r.runId() + " was interrupted (" + r.error() + ", ended "
                    + r.end() + ")");
            case FAILED -> Optional.of("run " + r.runId() + " failed (" + r.error() + ", ended " + r.end() + ")");
            default -> Optional.empty();
        };
    }

    @Override
    public void close() {
        try {
            ShutdownHookManager.get().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping: the hook runs, and finds the run ended
        }
    }
}
