package dev.sparktrain.train;

import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.data.ConcatDataset;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Prefetch;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.model.Replica;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * The single-process trainer's executor: one replica, and each step's minibatch is the union of the
 * plan's shards' minibatches for that step (with one shard, plain shuffled minibatches). With the
 * P shards a P-worker run holds and batch b it trains on exactly the examples a P-worker synchronous
 * run sees, as one batch of P*b: the reference for the distributed-equals-single-process guarantee.
 *
 * <p>With {@code numWorkers} > 0 (data.num-workers) the minibatches of an epoch, and the validation
 * batches, are loaded by that many threads ahead of training, across rounds, as PyTorch's DataLoader
 * does; the batches are the same as with 0 workers.
 */
public final class LocalExecutor implements StepExecutor {
    private static final int EVAL_BATCH = 1000;
    private final ConcatDataset train;
    private final Dataset val;
    private final BatchPlan plan;
    private final int classes;
    private final Replica replica;
    private final int numWorkers;
    /** The current epoch's minibatches, loaded ahead; replaced when a round asks for another position. */
    private Prefetch batches;
    private int batchesEpoch = -1;
    private DataType batchesType;

    /** One training shard ({@code plan} has one), loaded in this thread. */
    public LocalExecutor(Replica replica, Dataset train, Dataset val, BatchPlan plan, int classes) {
        this(replica, List.of(train), val, plan, classes, 0);
    }

    /**
     * The plan's training shards, in shard order, with {@code numWorkers} loading threads (0 = load in
     * the training thread).
     */
    public LocalExecutor(Replica replica, List<Dataset> trainShards, Dataset val, BatchPlan plan, int classes,
                         int numWorkers) {
        if (numWorkers < 0) {
            throw new IllegalArgumentException("num_workers must be >= 0, found " + numWorkers);
        }
        if (trainShards.size() != plan.shards()) {
            throw new IllegalArgumentException(trainShards.size() + " training shards for a plan of " + plan.shards());
        }
        for (int s = 0; s < plan.shards(); s++) {
            if (trainShards.get(s).size() != plan.shardSize(s)) {
                throw new IllegalArgumentException("shard " + s + " holds " + trainShards.get(s).size()
                        + " examples, the plan " + plan.shardSize(s));
            }
        }
        this.replica = replica;
        this.train = new ConcatDataset(trainShards);
        this.val = val;
        this.plan = plan;
        this.classes = classes;
        this.numWorkers = numWorkers;
    }

    @Override
    public int stepsPerEpoch() {
        return plan.stepsPerEpoch();
    }

    @Override
    public RoundResult round(RoundRequest request) {
        Prefetch epochBatches = batchesFrom(request.epoch(), request.firstStep(), request.params().dataType());
        try {
            return ShardStepper.step(replica, request, epochBatches::take);
        } catch (RuntimeException e) {
            closeBatches(); // the loaders may be mid-way; a later round starts afresh
            throw e;
        }
    }

    /** The epoch's minibatches from {@code first} on: the open ones if they are there, else new ones. */
    private Prefetch batchesFrom(int epoch, int first, DataType dtype) {
        if (batches != null && batchesEpoch == epoch && batchesType == dtype && batches.hasNext()
                && batches.nextStep() == first) {
            return batches;
        }
        closeBatches();
        int[][] orders = new int[plan.shards()][];
        for (int s = 0; s < plan.shards(); s++) {
            orders[s] = plan.order(epoch, s);
        }
        Dataset epochData = train.forEpoch(epoch);
        batches = new Prefetch(step -> epochData.batch(globalBatch(orders, step), classes, dtype), first,
                plan.stepsPerEpoch() - first, numWorkers);
        batchesEpoch = epoch;
        batchesType = dtype;
        return batches;
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
                idx[j++] = train.offset(s) + local;
            }
        }
        return idx;
    }

    @Override
    public Evaluation evaluate(INDArray params) {
        return ShardStepper.evaluate(replica, val, params, classes, EVAL_BATCH, numWorkers);
    }

    private void closeBatches() {
        if (batches != null) {
            batches.close();
            batches = null;
        }
    }

    @Override
    public void close() {
        closeBatches();
    }
}
