package dev.sparktrain.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sparktrain.train.EpochMetrics;

import java.util.Map;

/**
 * A run's {@code run.json}: its id and status, when it started and ended, the run it started from
 * ({@code parent}: the id of the run it warm-started from, or null) and what {@code train.init}
 * resolved to, where it checkpoints, the fingerprint of its data and config, its epochs and final metrics, the promotion decision, the
 * versions it ran with, the error that failed it, and the cluster application whose driver started it
 * (YARN cluster deploy mode: a later attempt of that application continues this run).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunRecord(String runId, RunStatus status, String start, String end, String parent, String init,
                        String checkpoints, DataFingerprint.Summary fingerprint, Integer epochs, EpochMetrics finalMetrics,
                        Promotion promotion, Map<String, String> versions, String error, String application) {

    /** A run that has just started. */
    public static RunRecord started(String runId, String start, String parent, String init, String checkpoints,
                                    DataFingerprint.Summary fingerprint, Map<String, String> versions) {
        return new RunRecord(runId, RunStatus.RUNNING, start, null, parent, init, checkpoints, fingerprint, 0, null,
                null, versions, null, null);
    }

    /** Started by a driver of the cluster application {@code id}. */
    public RunRecord withApplication(String id) {
        return new RunRecord(runId, status, start, end, parent, init, checkpoints, fingerprint, epochs, finalMetrics,
                promotion, versions, error, id);
    }

    public RunRecord withStatus(RunStatus s, String endTime) {
        return new RunRecord(runId, s, start, endTime, parent, init, checkpoints, fingerprint, epochs, finalMetrics, promotion,
                versions, error, application);
    }

    public RunRecord withProgress(int epochsDone, EpochMetrics last) {
        return new RunRecord(runId, status, start, end, parent, init, checkpoints, fingerprint, epochsDone, last, promotion,
                versions, error, application);
    }

    public RunRecord withPromotion(Promotion p) {
        return new RunRecord(runId, status, start, end, parent, init, checkpoints, fingerprint, epochs, finalMetrics, p, versions,
                error, application);
    }

    public RunRecord failed(String message, String endTime) {
        return ended(RunStatus.FAILED, message, endTime);
    }

    /** Ended with {@code s} and the line that says why. */
    public RunRecord ended(RunStatus s, String message, String endTime) {
        return new RunRecord(runId, s, start, endTime, parent, init, checkpoints, fingerprint, epochs, finalMetrics,
                promotion, versions, message, application);
    }

    /** Resumed: running again, its error cleared. */
    public RunRecord resumed() {
        return new RunRecord(runId, RunStatus.RUNNING, start, null, parent, init, checkpoints, fingerprint, epochs, finalMetrics,
                null, versions, null, application);
    }
}
