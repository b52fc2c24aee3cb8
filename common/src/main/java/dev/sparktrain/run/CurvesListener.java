package dev.sparktrain.run;

import dev.sparktrain.chart.Curve;
import dev.sparktrain.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.AWTError;

/**
 * Redraws the run's learning curves ({@code curves.png} in its directory) after every epoch. The picture
 * is derived from metrics.jsonl, which holds the same figures ({@code plot} draws them again), so one
 * that cannot be drawn or written (a JVM without fonts, a full disk) is a warning, once, not the end of
 * the run.
 */
final class CurvesListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(CurvesListener.class);

    private final RunDirectory runDir;
    private final String runId;
    private boolean failed;

    CurvesListener(RunDirectory runDir, String runId) {
        this.runDir = runDir;
        this.runId = runId;
    }

    @Override
    public void onEpochEnd(EpochEvent event) {
        if (failed) {
            return;
        }
        try {
            // AWT's font setup fails with errors, not exceptions
            runDir.writeCurves("run " + runId, new Curve(runId, event.snapshot().history()));
        } catch (RuntimeException | AWTError | LinkageError | InternalError e) {
            failed = true;
            LOG.warn("cannot draw {}/{} (training goes on; `plot {}` draws metrics.jsonl later): {}",
                    runDir.location(), RunDirectory.CURVES, runDir.location(), e.toString());
        }
    }
}
