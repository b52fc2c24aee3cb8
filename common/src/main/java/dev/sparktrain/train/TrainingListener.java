package dev.sparktrain.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Hooks of the driver loop, each called with one event object. Listeners run in registration order;
 * an exception ends the run (the NaN guard's way); {@code event.stop(why)} ends it cleanly after the
 * current epoch (early stopping's way).
 */
public interface TrainingListener {

    /** After each round's optimizer step. */
    default void onRoundEnd(RoundEvent event) {
    }

    /** After each epoch's validation (and the per-epoch scheduler step). */
    default void onEpochEnd(EpochEvent event) {
    }

    /** Once, when the run ends: after the last epoch, or the epoch a listener stopped it in. */
    default void onTrainingEnd(EndEvent event) {
    }

    /**
     * A round just stepped: its epoch (0-based), the global step after it, its minibatch steps, the
     * epoch's minibatch steps done after it and in all, the summed loss and example count of its
     * minibatches, and each param group's lr during it. {@code state} makes the whole state after the
     * round on request (a mid-epoch checkpoint's), since copying it every round would cost.
     */
    record RoundEvent(int epoch, long globalStep, int steps, int epochStepsDone, int epochSteps, double lossSum,
                      long count, List<Double> lrs, INDArray params, TrainingControl control,
                      Supplier<TrainingSnapshot> state, DoubleSupplier paramsSumOf) {

        /** Without the state (a loop that cannot checkpoint inside an epoch). */
        public RoundEvent(int epoch, long globalStep, int steps, int epochStepsDone, int epochSteps, double lossSum,
                          long count, List<Double> lrs, INDArray params, TrainingControl control) {
            this(epoch, globalStep, steps, epochStepsDone, epochSteps, lossSum, count, lrs, params, control, null,
                    () -> params.sumNumber().doubleValue());
        }

        /** With the state, the parameters on the driver. */
        public RoundEvent(int epoch, long globalStep, int steps, int epochStepsDone, int epochSteps, double lossSum,
                          long count, List<Double> lrs, INDArray params, TrainingControl control,
                          Supplier<TrainingSnapshot> state) {
            this(epoch, globalStep, steps, epochStepsDone, epochSteps, lossSum, count, lrs, params, control, state,
                    () -> params.sumNumber().doubleValue());
        }

        /**
         * The parameters after the round: the live vector, read only (dup() to keep a copy); null where
         * the workers keep the parameters (the collective transport: {@link #snapshot} gathers them).
         */
        @Override
        public INDArray params() {
            return params;
        }

        /** The sum of the parameters after the round: NaN or infinite iff some parameter is. */
        public double paramsSum() {
            return paramsSumOf.getAsDouble();
        }

        /** Whether this round ended its epoch (validation and the epoch's listeners come next). */
        public boolean lastOfEpoch() {
            return epochStepsDone == epochSteps;
        }

        /** A copy of the whole state after this round, its position in the epoch included. */
        public TrainingSnapshot snapshot() {
            if (state == null) {
                throw new IllegalStateException("this round event carries no training state");
            }
            return state.get();
        }

        /** Ends the run after this epoch. */
        public void stop(String why) {
            control.stop(why);
        }
    }

    /** An epoch ended: its figures, the whole state after it (what a checkpoint holds), the run's epochs. */
    record EpochEvent(EpochMetrics metrics, TrainingSnapshot snapshot, int epochs, TrainingControl control) {
        /** Ends the run after this epoch. */
        public void stop(String why) {
            control.stop(why);
        }

        /** Whether a listener (this one or an earlier one) asked to stop after this epoch. */
        public boolean stopping() {
            return control.stopRequested();
        }
    }

    /** The run ended: its final state; {@code stopReason} is null unless a listener stopped it early. */
    record EndEvent(TrainingSnapshot snapshot, String stopReason) {
    }
}
