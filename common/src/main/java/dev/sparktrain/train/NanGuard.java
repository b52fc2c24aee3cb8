package dev.sparktrain.train;

/** Stops the run at the first round whose loss is NaN or infinite, before it is checkpointed. */
public final class NanGuard implements TrainingListener {
    @Override
    public void onRoundEnd(int epoch, long globalStep, double lossSum, long count) {
        if (!Double.isFinite(lossSum)) {
            throw new DivergenceException("The loss became " + lossSum + " at epoch " + (epoch + 1) + ", step "
                    + globalStep + "; try a smaller learning rate (optimizer.lr) or check the input data");
        }
    }
}
