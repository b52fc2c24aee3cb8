package dev.sparktrain.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stops the run at the first round whose loss or parameters are NaN or infinite, before anything
 * is checkpointed. (A loss can stay finite while parameters have blown up: DL4J clips probabilities
 * inside its cross-entropy, so the parameters are checked too.)
 */
public final class NanGuard implements TrainingListener {
    @Override
    public void onRoundEnd(int epoch, long globalStep, double lossSum, long count, INDArray params) {
        if (!Double.isFinite(lossSum)) {
            throw diverged("loss", lossSum, epoch, globalStep);
        }
        double sum = params.sumNumber().doubleValue(); // NaN or infinite iff some parameter is
        if (!Double.isFinite(sum)) {
            throw diverged("parameters' sum", sum, epoch, globalStep);
        }
    }

    private static DivergenceException diverged(String what, double value, int epoch, long step) {
        return new DivergenceException("The " + what + " became " + value + " at epoch " + (epoch + 1) + ", step "
                + step + "; try a smaller learning rate (optimizer.lr) or check the input data");
    }
}
