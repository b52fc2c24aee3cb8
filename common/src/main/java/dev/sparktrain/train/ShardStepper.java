package dev.sparktrain.train;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Prefetch;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.model.GradientSum;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.Optimizers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.function.IntFunction;

/**
 * The worker side of one round: the same code runs in a Spark task and in the in-process
 * executor. Stateless: everything comes in the request, so a re-run task gives the same result.
 */
public final class ShardStepper {
    private final BatchPlan plan;
    private final int classes;
    private final int numWorkers;

    /** Minibatches loaded in the training thread. */
    public ShardStepper(BatchPlan plan, int classes) {
        this(plan, classes, 0);
    }

    /**
     * With {@code numWorkers} > 0 (data.num-workers), a round's minibatches are loaded by that many
     * threads ahead of training (only rounds of more than one minibatch have anything to load ahead).
     */
    public ShardStepper(BatchPlan plan, int classes, int numWorkers) {
        if (numWorkers < 0) {
            throw new IllegalArgumentException("num_workers must be >= 0, found " + numWorkers);
        }
        this.plan = plan;
        this.classes = classes;
        this.numWorkers = numWorkers;
    }

    /** One round on one shard of the plan. */
    public RoundResult run(Replica replica, Dataset shardData, int shard, RoundRequest request) {
        int[] order = plan.order(request.epoch(), shard);
        Dataset epochData = shardData.forEpoch(request.epoch());
        IntFunction<DataSet> load = step -> epochData.batch(plan.batch(order, step), classes,
                request.params().dataType());
        try (Prefetch batches = new Prefetch(load, request.firstStep(), request.steps(), numWorkers)) {
            return step(replica, request, batches::take);
        }
    }

    /**
     * Runs the request's minibatches ({@code batchAt(step)} for each step of the round). Synchronous:
     * the gradient sum of the one minibatch. Averaging: {@code steps} inner optimizer steps, returning
     * the parameter delta and inner state multiplied by the example count.
     */
    public static RoundResult step(Replica replica, RoundRequest request, IntFunction<DataSet> batchAt) {
        if (request instanceof RoundRequest.Synchronous sync) {
            return gradients(replica, sync, batchAt);
        }
        return averaged(replica, (RoundRequest.Averaging) request, batchAt); // the only other kind (sealed)
    }

    private static RoundResult gradients(Replica replica, RoundRequest.Synchronous request,
                                         IntFunction<DataSet> batchAt) {
        replica.setParams(request.params());
        GradientSum g = replica.gradientSum(batchAt.apply(request.firstStep()));
        return new RoundResult.Gradients(g.gradient(), g.lossSum(), g.count());
    }

    private static RoundResult averaged(Replica replica, RoundRequest.Averaging request, IntFunction<DataSet> batchAt) {
        INDArray theta = request.params().dup();
        GroupedOptimizer inner = Optimizers.restore(request.optimizer(), replica.layout(), request.innerState());
        double lossSum = 0;
        long count = 0;
        for (int s = 0; s < request.steps(); s++) {
            if (request.stepLrs() != null) {
                for (int g = 0; g < request.stepLrs()[s].length; g++) { // the scheduled groups
                    inner.setLr(g, request.stepLrs()[s][g]);
                    inner.setMomentum(g, request.stepMomenta()[s][g]);
                }
            }
            replica.setParams(theta);
            GradientSum g = replica.gradientSum(batchAt.apply(request.firstStep() + s));
            inner.step(theta, g.gradient().divi(g.count()));
            lossSum += g.lossSum();
            count += g.count();
        }
        INDArray weightedDelta = theta.subi(request.params()).muli(count);
        return new RoundResult.Averages(weightedDelta, inner.stateDict().times(count), lossSum, count);
    }

    /** Forward-only loss and accuracy sums over a whole dataset, in minibatches loaded in this thread. */
    public static Evaluation evaluate(Replica replica, Dataset data, INDArray params, int classes, int batchSize) {
        return evaluate(replica, data, params, classes, batchSize, 0);
    }

    /**
     * Forward-only loss and accuracy sums over a whole dataset, in minibatches of {@code batchSize}
     * examples in index order, loaded by {@code numWorkers} threads ahead (0: in this thread).
     */
    public static Evaluation evaluate(Replica replica, Dataset data, INDArray params, int classes, int batchSize,
                                   int numWorkers) {
        replica.setParams(params);
        int chunks = (data.size() + batchSize - 1) / batchSize;
        IntFunction<DataSet> load = c -> {
            int from = c * batchSize;
            int[] idx = new int[Math.min(from + batchSize, data.size()) - from];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            return data.batch(idx, classes, params.dataType());
        };
        Evaluation total = Evaluation.EMPTY;
        try (Prefetch batches = new Prefetch(load, 0, chunks, numWorkers)) {
            while (batches.hasNext()) {
                total = total.plus(replica.evaluate(batches.next()));
            }
        }
        return total;
    }
}
