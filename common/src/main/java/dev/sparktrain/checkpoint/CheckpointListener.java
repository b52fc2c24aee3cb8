package dev.sparktrain.checkpoint;

import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.TrainingListener;
import dev.sparktrain.train.TrainingSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a checkpoint every {@code everyEpochs} epochs and after the last one. A failed save fails the run. */
public final class CheckpointListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointListener.class);
    private final CheckpointStore store;
    private final int everyEpochs;
    private final int totalEpochs;
    private final ModelZipWriter modelWriter;

    public CheckpointListener(CheckpointStore store, int everyEpochs, int totalEpochs, ModelZipWriter modelWriter) {
        this.store = store;
        this.everyEpochs = everyEpochs;
        this.totalEpochs = totalEpochs;
        this.modelWriter = modelWriter;
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics, TrainingSnapshot snapshot) {
        boolean due = everyEpochs > 0 && (snapshot.epochsDone() % everyEpochs == 0
                || snapshot.epochsDone() == totalEpochs);
        if (due) {
            String path = store.save(snapshot, modelWriter);
            LOG.info("checkpoint of epoch {} written to {}", snapshot.epochsDone(), path);
        }
    }
}
