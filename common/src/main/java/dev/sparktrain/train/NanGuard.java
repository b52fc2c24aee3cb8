package dev.sparktrain.train;

/**
 * Stops the run at the first round whose loss or parameters are NaN or infinite, before anything
 * is checkpointed. (A loss can stay finite while parameters have blown up: DL4J clips probabilities
 * inside its cross-entropy, so the parameters are checked too.)
 */
public final class NanGuard implements TrainingListener {
    @Override
    public void onRoundEnd(RoundEvent event) {
        if (!Double.isFinite(event.lossSum())) {
            throw diverged("loss", event.lossSum(), event.epoch(), event.globalStep());
        }
        double sum = event.paramsSum(); // NaN or infinite iff some parameter is
        if (!Double.isFinite(sum)) {
            throw diverged("parameters' sum", sum, event.epoch(), event.globalStep());
        }
    }

    private static DivergenceException diverged(String what, double value, int epoch, long step) {
        return new DivergenceException("The " + what + " became " + value + " at epoch " + (epoch + 1) + ", step "
                + step + "; try a smaller learning rate (optimizer.lr) or check the input data");
    }
}
