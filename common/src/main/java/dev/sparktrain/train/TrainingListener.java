package dev.sparktrain.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Hooks of the driver loop. Listeners run in registration order; an exception ends the run. */
public interface TrainingListener {

    /**
     * After each round's optimizer step: the round's loss sum and example count, the global step and
     * the new parameters (read only).
     */
    default void onRoundEnd(int epoch, long globalStep, double lossSum, long count, INDArray params) {
    }

    /** After validation of each epoch. */
    default void onEpochEnd(EpochMetrics metrics, TrainingSnapshot snapshot) {
    }

    /** Once, after the last epoch. */
    default void onTrainingEnd(TrainingSnapshot snapshot) {
    }
}
