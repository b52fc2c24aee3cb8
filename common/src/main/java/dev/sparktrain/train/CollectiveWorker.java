package dev.sparktrain.train;

import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Prefetch;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.model.GradientSum;
import dev.sparktrain.model.ParamLayout;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.Clipping;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.Optimizers;
import dev.sparktrain.optim.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.Function;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One worker of the collective transport: it keeps the parameters and the optimizer state between
 * rounds and meets the other workers through a {@link Collective}, never the driver.
 *
 * <p>Synchronous rounds (ZeRO stage 1): the worker computes its minibatch's gradient sum, the
 * gradients are reduce-scattered (summed in rank order), and each worker steps its own window of the
 * parameters with the optimizer state of that window only ({@link GroupedOptimizer#window}); the
 * windows are then all-gathered. Clipping by global norm reduces one scalar. Averaging rounds: each
 * worker runs its inner steps with the whole optimizer, then the count-weighted parameter deltas and
 * optimizer states are all-reduced (reduce-scatter, then all-gather) and averaged, as the driver
 * transport averages them. Either way every number is the driver transport's, computed in the same
 * order.
 */
public final class CollectiveWorker {
    private final Replica replica;
    private final Dataset train;
    private final Dataset val;
    private final int shard;
    private final BatchPlan plan;
    private final int classes;
    private final int numWorkers;
    private final Collective collective;
    private final long from;
    private final long to;
    private INDArray params;
    private GroupedOptimizer optimizer;
    private boolean synchronous;

    public CollectiveWorker(Replica replica, Dataset train, Dataset val, BatchPlan plan, int classes, int numWorkers,
                            Collective collective) {
        this.replica = replica;
        this.train = train;
        this.val = val;
        this.shard = collective.rank();
        this.plan = plan;
        this.classes = classes;
        this.numWorkers = numWorkers;
        this.collective = collective;
        long n = replica.numParams();
        this.from = Collective.windowFrom(n, collective.rank(), collective.size());
        this.to = Collective.windowFrom(n, collective.rank() + 1, collective.size());
    }

    /**
     * Takes the state to train from: the whole parameters, and the optimizer (its window of the state
     * when {@code synchronous}, the whole state for averaging).
     */
    public void load(INDArray params, OptimizerSpec spec, StateDict state, boolean synchronous) {
        this.params = params.dup();
        this.synchronous = synchronous;
        ParamLayout layout = replica.layout();
        this.optimizer = synchronous ? Optimizers.restoreWindow(spec, layout, state, from, to)
                : Optimizers.restore(spec, layout, state);
    }

    /** One round; the result holds this worker's loss sum and count and the sum of its window of the parameters. */
    public RoundResult.Stepped round(RoundControl c) {
        if (params == null) {
            throw new IllegalStateException("worker " + shard + " has no state: a round before load");
        }
        if (c.synchronous() != synchronous) {
            throw new IllegalStateException("a " + (c.synchronous() ? "synchronous" : "averaging")
                    + " round for a worker loaded for " + (synchronous ? "synchronous" : "averaging") + " rounds");
        }
        applyGroups(c.groups());
        return withBatches(c, c.synchronous() ? this::synchronous : batches -> averaging(c, batches));
    }

    private RoundResult.Stepped synchronous(IntFunction<DataSet> batchAt) {
        replica.setParams(params);
        GradientSum g = replica.gradientSum(batchAt.apply(0));
        Collective.Scattered scattered = collective.reduceScatter(g.gradient(), new double[]{g.count()});
        INDArray grad = scattered.window().divi(total(scattered));
        INDArray window = params.get(NDArrayIndex.interval(from, to)).dup();
        optimizer.step(window, grad, this::across);
        collective.allGather(window, params);
        return new RoundResult.Stepped(g.lossSum(), g.count(), window.sumNumber().doubleValue());
    }

    private RoundResult.Stepped averaging(RoundControl c, IntFunction<DataSet> batchAt) {
        INDArray theta = params.dup();
        double lossSum = 0;
        long count = 0;
        for (int s = 0; s < c.steps(); s++) {
            if (c.stepLrs() != null) {
                for (int g = 0; g < c.stepLrs()[s].length; g++) {
                    optimizer.setLr(g, c.stepLrs()[s][g]);
                    optimizer.setMomentum(g, c.stepMomenta()[s][g]);
                }
            }
            replica.setParams(theta);
            GradientSum g = replica.gradientSum(batchAt.apply(s));
            optimizer.step(theta, g.gradient().divi(g.count()));
            lossSum += g.lossSum();
            count += g.count();
        }
        INDArray weightedDelta = theta.subi(params).muli(count);
        StateDict weightedState = optimizer.stateDict().times(count);
        List<INDArray> parts = new ArrayList<>();
        parts.add(weightedDelta.reshape(weightedDelta.length()));
        weightedState.buffers().values().forEach(b -> parts.add(b.reshape(b.length())));
        INDArray sum = Nd4j.concat(0, parts.toArray(INDArray[]::new));
        INDArray reduced = sum.ulike();
        Collective.Scattered scattered = collective.reduceScatter(sum, new double[]{count});
        long total = total(scattered);
        collective.allGather(scattered.window(), reduced);
        long n = params.length();
        params.addi(reduced.get(NDArrayIndex.interval(0, n)).divi(total));
        Map<String, INDArray> averaged = new TreeMap<>();
        long at = n;
        for (Map.Entry<String, INDArray> e : weightedState.buffers().entrySet()) {
            long len = e.getValue().length();
            averaged.put(e.getKey(), reduced.get(NDArrayIndex.interval(at, at + len)).mul(1.0 / total));
            at += len;
        }
        optimizer.loadStateDict(new StateDict(weightedState.groups(), weightedState.steps(), averaged));
        return new RoundResult.Stepped(lossSum, count, params.get(NDArrayIndex.interval(from, to)).sumNumber()
                .doubleValue());
    }

    /** The round's examples over all workers, carried by the reduce-scatter. */
    private static long total(Collective.Scattered scattered) {
        long total = 0;
        for (double[] c : scattered.riders()) {
            total += (long) c[0];
        }
        return total;
    }

    /** A window's partial norm combined with the others', in rank order. */
    private double across(double partial, boolean max) {
        double total = 0;
        for (double[] v : collective.allGather(new double[]{partial})) {
            total = max ? Math.max(total, v[0]) : total + v[0];
        }
        return total;
    }

    /** Validation sums over this worker's validation shard at the current parameters. */
    public Evaluation evaluate(INDArray at) {
        return ShardStepper.evaluate(replica, val, at == null ? params : at, classes, 1000, numWorkers);
    }

    /** This worker's window of the parameters (a copy). */
    public INDArray paramsWindow() {
        return params.get(NDArrayIndex.interval(from, to)).dup();
    }

    /** This worker's window of the optimizer state ({@link StateDict#concat} joins the windows). */
    public StateDict stateWindow() {
        StateDict s = optimizer.stateDict();
        return synchronous ? s : s.window(replica.layout(), from, to);
    }

    private void applyGroups(List<StateDict.GroupState> groups) {
        for (int g = optimizer.groupCount(); g < groups.size(); g++) {
            optimizer.addParamGroup(new dev.sparktrain.optim.GroupSpec(List.of(), groups.get(g).params(), Map.of()),
                    "param group " + g);
        }
        for (int g = 0; g < groups.size(); g++) {
            optimizer.setHyperParams(g, groups.get(g).hyper());
        }
    }

    private <T> T withBatches(RoundControl c, Function<IntFunction<DataSet>, T> work) {
        int[] order = plan.order(c.epoch(), shard);
        Dataset epochData = train.forEpoch(c.epoch());
        DataType dtype = params.dataType();
        IntFunction<DataSet> load = step -> epochData.batch(plan.batch(order, step), classes, dtype);
        try (Prefetch batches = new Prefetch(load, c.firstStep(), c.steps(), numWorkers)) {
            return work.apply(s -> batches.take(c.firstStep() + s));
        }
    }
}
