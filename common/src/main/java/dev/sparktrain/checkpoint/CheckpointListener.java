package dev.sparktrain.checkpoint;

import dev.sparktrain.train.TrainingListener;
import dev.sparktrain.train.TrainingSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a checkpoint every {@code everyEpochs} epochs and after the run's last epoch (the configured
 * last one, or the one a listener stopped the run in). A failed save fails the run.
 */
public final class CheckpointListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointListener.class);
    private final CheckpointStore store;
    private final int everyEpochs;
    private final int totalEpochs;
    private final ModelZipWriter modelWriter;
    private TrainingSnapshot unsaved;

    public CheckpointListener(CheckpointStore store, int everyEpochs, int totalEpochs, ModelZipWriter modelWriter) {
        this.store = store;
        this.everyEpochs = everyEpochs;
        this.totalEpochs = totalEpochs;
        this.modelWriter = modelWriter;
    }

    @Override
    public void onEpochEnd(EpochEvent event) {
        TrainingSnapshot snapshot = event.snapshot();
        boolean due = everyEpochs > 0 && (snapshot.epochsDone() % everyEpochs == 0
                || snapshot.epochsDone() == totalEpochs);
        if (due) {
            save(snapshot);
        } else {
            unsaved = snapshot;
        }
    }

    /** A run stopped early: its last epoch gets a checkpoint as the configured last one would. */
    @Override
    public void onTrainingEnd(EndEvent event) {
        if (everyEpochs > 0 && unsaved != null && unsaved.epochsDone() == event.snapshot().epochsDone()) {
            save(unsaved);
        }
    }

    private void save(TrainingSnapshot snapshot) {
        String path = store.save(snapshot, modelWriter);
        unsaved = null;
        LOG.info("checkpoint of epoch {} written to {}", snapshot.epochsDone(), path);
    }
}
