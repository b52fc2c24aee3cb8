package dev.sparktrain.train;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Prefetch;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.model.EvalSum;
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

    public ShardStepper(BatchPlan plan, int classes) {
        this.plan = plan;
        this.classes = classes;
    }

    /** One round on one shard of the plan. */
    public RoundResult run(Replica replica, Dataset shardData, int shard, RoundRequest request) {
        int[] order = plan.order(request.epoch(), shard);
        Dataset epochData = shardData.forEpoch(request.epoch());
        IntFunction<DataSet> load = step -> epochData.batch(plan.batch(order, step), classes,
                request.params().dataType());
        return step(replica, request, Prefetch.ahead(load, request.firstStep(),
                request.synchronous() ? 1 : request.steps()));
    }

    /**
     * Runs the request's minibatches ({@code batchAt(step)} for each step of the round). Synchronous:
     * the gradient sum of the one minibatch. Averaging: {@code steps} inner optimizer steps, returning
     * the parameter delta and inner state multiplied by the example count.
     */
    public static RoundResult step(Replica replica, RoundRequest request, IntFunction<DataSet> batchAt) {
        if (request.synchronous()) {
            replica.setParams(request.params());
            GradientSum g = replica.gradientSum(batchAt.apply(request.firstStep()));
            return new RoundResult(g.gradient(), null, g.lossSum(), g.count());
        }
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
        return new RoundResult(weightedDelta, inner.stateDict().times(count), lossSum, count);
    }

    /** Forward-only loss and accuracy sums over a whole dataset, in minibatches. */
    public static EvalSum evaluate(Replica replica, Dataset data, INDArray params, int classes, int batchSize) {
        replica.setParams(params);
        EvalSum total = EvalSum.ZERO;
        for (int from = 0; from < data.size(); from += batchSize) {
            int to = Math.min(from + batchSize, data.size());
            int[] idx = new int[to - from];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            total = total.plus(replica.evaluate(data.batch(idx, classes, params.dataType())));
        }
        return total;
    }
}
