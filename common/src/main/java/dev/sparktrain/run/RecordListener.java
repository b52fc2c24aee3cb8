package dev.sparktrain.run;

import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.RunRecord;
import dev.sparktrain.train.TrainingListener;

/** Keeps a run's run.json current, epoch by epoch: its epochs done and latest metrics. */
final class RecordListener implements TrainingListener {
    private final Experiment experiment;
    private RunRecord record;

    RecordListener(Experiment experiment, RunRecord record) {
        this.experiment = experiment;
        this.record = record;
    }

    RunRecord record() {
        return record;
    }

    @Override
    public void onEpochEnd(EpochEvent event) {
        record = record.withProgress(event.snapshot().epochsDone(), event.metrics());
        experiment.write(record);
    }
}
