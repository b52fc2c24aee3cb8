package dev.sparktrain.train;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.model.EvalSum;
import dev.sparktrain.model.Replica;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The single-process trainer's executor: one replica, and each step's minibatch is the union of the
 * plan's shards' minibatches for that step (with one shard, plain shuffled minibatches). With a
 * P-shard plan of batch b it trains on exactly the examples a P-worker synchronous run sees, as one
 * batch of P*b: the reference for the distributed-equals-single-process guarantee.
 */
public final class LocalExecutor implements StepExecutor {
    private final Dataset train;
    private final Dataset val;
    private final BatchPlan plan;
    private final int classes;
    private final Replica replica;

    /** {@code train} must hold the full training set with local index = global index. */
    public LocalExecutor(Replica replica, Dataset train, Dataset val, BatchPlan plan, int classes) {
        this.replica = replica;
        this.train = train;
        this.val = val;
        this.plan = plan;
        this.classes = classes;
    }

    @Override
    public int stepsPerEpoch() {
        return plan.stepsPerEpoch();
    }

    @Override
    public RoundResult round(RoundRequest request) {
        int[][] orders = new int[plan.shards()][];
        for (int s = 0; s < plan.shards(); s++) {
            orders[s] = plan.order(request.epoch(), s);
        }
        Dataset epochData = train.forEpoch(request.epoch());
        return ShardStepper.step(replica, request,
                step -> epochData.batch(globalBatch(orders, step), classes, request.params().dataType()));
    }

    private int[] globalBatch(int[][] orders, int step) {
        int[][] parts = new int[orders.length][];
        int total = 0;
        for (int s = 0; s < orders.length; s++) {
            parts[s] = plan.batch(orders[s], step);
            total += parts[s].length;
        }
        int[] idx = new int[total];
        int j = 0;
        for (int s = 0; s < orders.length; s++) {
            for (int local : parts[s]) {
                idx[j++] = plan.globalIndex(s, local);
            }
        }
        return idx;
    }

    @Override
    public EvalSum evaluate(INDArray params) {
        return ShardStepper.evaluate(replica, val, params, classes, 1000);
    }
}
