package dev.sparktrain.checkpoint;

import dev.sparktrain.train.TrainingListener;
import dev.sparktrain.train.TrainingSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Writes a checkpoint every {@code everyEpochs} epochs and after the run's last epoch (the configured
 * last one, or the one a listener stopped the run in); inside epochs, after the round that reaches a
 * multiple of {@code everySteps} global steps and after the first round {@code everyMinutes} after the
 * last checkpoint (never after an epoch's last round: its epoch-end checkpoint or validation is next).
 * A failed save fails the run.
 */
public final class CheckpointListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointListener.class);
    private final CheckpointStore store;
    private final int everyEpochs;
    private final int totalEpochs;
    private final ModelZipWriter modelWriter;
    private final int everySteps;
    private final long everyNanos;
    private final LongSupplier clock;
    private long lastSave;
    private TrainingSnapshot unsaved;

    /** At epoch ends only. */
    public CheckpointListener(CheckpointStore store, int everyEpochs, int totalEpochs, ModelZipWriter modelWriter) {
        this(store, everyEpochs, totalEpochs, modelWriter, 0, 0, System::nanoTime);
    }

    /** Also inside epochs: every {@code everySteps} steps and/or {@code everyMinutes} (0: not), timed by {@code clock} (ns). */
    public CheckpointListener(CheckpointStore store, int everyEpochs, int totalEpochs, ModelZipWriter modelWriter,
                              int everySteps, double everyMinutes, LongSupplier clock) {
        this.store = store;
        this.everyEpochs = everyEpochs;
        this.totalEpochs = totalEpochs;
        this.modelWriter = modelWriter;
        this.everySteps = everySteps;
        this.everyNanos = Math.round(everyMinutes * TimeUnit.MINUTES.toNanos(1));
        this.clock = clock;
        this.lastSave = clock.getAsLong();
    }

    @Override
    public void onRoundEnd(RoundEvent event) {
        if (event.lastOfEpoch()) {
            return;
        }
        boolean stepsDue = everySteps > 0
                && event.globalStep() / everySteps > (event.globalStep() - event.steps()) / everySteps;
        boolean timeDue = everyNanos > 0 && clock.getAsLong() - lastSave >= everyNanos;
        if (stepsDue || timeDue) {
            save(event.snapshot());
        }
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
        lastSave = clock.getAsLong();
        if (snapshot.midEpoch()) {
            LOG.info("checkpoint at step {} ({} of epoch {}) written to {}", snapshot.globalStep(),
                    snapshot.position().stepsDone(), snapshot.epochsDone() + 1, path);
        } else {
            LOG.info("checkpoint of epoch {} written to {}", snapshot.epochsDone(), path);
        }
    }
}
