package dev.sparktrain.run;

import dev.sparktrain.train.TrainingListener;

/** Keeps a run's run.json current, epoch by epoch: its epochs done and latest metrics. */
final class RecordListener implements TrainingListener {
    private final RunRecorder recorder;

    RecordListener(RunRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void onEpochEnd(EpochEvent event) {
        recorder.progress(event.snapshot().epochsDone(), event.metrics());
    }
}
