package dev.sparktrain.train;

import dev.sparktrain.config.TrainConfig;
import dev.sparktrain.model.EvalSum;
import dev.sparktrain.optim.Optimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The driver loop. It only orders the steps: for each epoch, rounds of k minibatches on every
 * worker, the driver's optimizer step after each round, validation, then the listeners (progress,
 * metrics, checkpoints, NaN guard). See the package documentation for the two modes.
 */
public final class TrainingLoop {
    private final TrainConfig train;
    private final StepExecutor executor;
    private final Optimizer optimizer;
    private final List<TrainingListener> listeners;

    public TrainingLoop(TrainConfig train, StepExecutor executor, Optimizer optimizer,
                        List<TrainingListener> listeners) {
        this.train = train;
        this.executor = executor;
        this.optimizer = optimizer;
        this.listeners = List.copyOf(listeners);
    }

    /** Trains from {@code start} (fresh or loaded from a checkpoint) to {@code train.epochs}. */
    public TrainingSnapshot run(TrainingSnapshot start) {
        INDArray params = start.params().dup();
        optimizer.loadState(start.optimizerState());
        long globalStep = start.globalStep();
        List<EpochMetrics> history = new ArrayList<>(start.history());
        TrainingSnapshot snapshot = start;
        for (int epoch = start.epochsDone(); epoch < train.epochs(); epoch++) {
            long t0 = System.nanoTime();
            int steps = executor.stepsPerEpoch();
            double lossSum = 0;
            long count = 0;
            for (int first = 0; first < steps; first += train.averagingFrequency()) {
                int k = Math.min(train.averagingFrequency(), steps - first);
                RoundResult r = executor.round(new RoundRequest(epoch, first, k, params, optimizer.config(),
                        train.synchronous() ? null : optimizer.state()));
                applyRound(params, r);
                globalStep += k;
                lossSum += r.lossSum();
                count += r.count();
                for (TrainingListener l : listeners) {
                    l.onRoundEnd(epoch, globalStep, r.lossSum(), r.count(), params);
                }
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            EvalSum val = executor.evaluate(params);
            double epochSeconds = (System.nanoTime() - t0) / 1e9;
            EpochMetrics m = new EpochMetrics(epoch + 1, globalStep, lossSum / count, count, val.meanLoss(),
                    val.accuracy(), val.count(), count / trainSeconds, trainSeconds, epochSeconds,
                    optimizer.config().lr());
            history.add(m);
            snapshot = new TrainingSnapshot(epoch + 1, globalStep, params.dup(), optimizer.state(), start.seed(),
                    start.configJson(), history);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(m, snapshot);
            }
        }
        for (TrainingListener l : listeners) {
            l.onTrainingEnd(snapshot);
        }
        return snapshot;
    }

    private void applyRound(INDArray params, RoundResult r) {
        if (r.count() == 0) {
            throw new IllegalStateException("a round returned no examples");
        }
        if (train.synchronous()) {
            optimizer.step(params, r.sum().divi(r.count()));
        } else {
            // outer step: plain averaging of the replicas' parameters and inner optimizer states
            params.addi(r.sum().divi(r.count()));
            // every replica took the same k inner steps, so the mean state's step count is start + k
            optimizer.loadState(r.stateSum().times(1.0 / r.count()));
        }
    }
}
