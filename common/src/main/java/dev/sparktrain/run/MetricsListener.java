package dev.sparktrain.run;

import dev.sparktrain.train.TrainingListener;

import java.io.PrintStream;

/** Prints one progress line per epoch and keeps metrics.jsonl in the run directory up to date. */
public final class MetricsListener implements TrainingListener {
    private final RunDirectory runDir;
    private final int epochs;
    private final PrintStream console;

    public MetricsListener(RunDirectory runDir, int epochs, PrintStream console) {
        this.runDir = runDir;
        this.epochs = epochs;
        this.console = console;
    }

    @Override
    public void onEpochEnd(EpochEvent event) {
        console.println(event.metrics().progressLine(epochs));
        console.flush();
        runDir.writeMetrics(event.snapshot().history());
    }

    @Override
    public void onTrainingEnd(EndEvent event) {
        if (event.stopReason() != null) {
            console.println("stopped after epoch " + event.snapshot().epochsDone() + ": " + event.stopReason());
            console.flush();
        }
    }
}
