package dev.sparktrain.train;

/** Hooks of the driver loop. Listeners run in registration order; an exception ends the run. */
public interface TrainingListener {

    /** After each round's optimizer step: round loss sum and example count, global step. */
    default void onRoundEnd(int epoch, long globalStep, double lossSum, long count) {
    }

    /** After validation of each epoch. */
    default void onEpochEnd(EpochMetrics metrics, TrainingSnapshot snapshot) {
    }

    /** Once, after the last epoch. */
    default void onTrainingEnd(TrainingSnapshot snapshot) {
    }
}
