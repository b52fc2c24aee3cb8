package dev.sparktrain.train;

import org.nd4j.linalg.factory.Nd4j;

import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.config.TrainConfig;
import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.data.IdxFiles;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.format.IdxReader;
import dev.sparktrain.data.shards.ShardLayout;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.Optimizers;
import dev.sparktrain.optim.GroupedOptimizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver loop with the in-process executor on a small learnable synthetic dataset. */
class TrainingLoopTest {
    private static final ModelSpec MLP = new ModelSpec("mlp", List.of(32), "float32", 1, 28, 28, 10, 7);
    private static final int WORKERS = 2;
    private static final int BATCH = 16;
    private static final long SEED = 3;
    private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 0);

    @TempDir
    static Path dataDir;
    private static ArrayDataset train;
    private static ArrayDataset val;

    @BeforeAll
    static void writeData() {
        IdxFiles.writeSynthetic(dataDir, "train", 256, 10, 1, true);
        IdxFiles.writeSynthetic(dataDir, "val", 64, 10, 2, false);
        train = read("train", true);
        val = read("val", false);
    }

    private static ArrayDataset read(String prefix, boolean gzip) {
        return IdxReader.read(dataDir.resolve(IdxFiles.imagesName(prefix, gzip)).toUri().toString(),
                dataDir.resolve(IdxFiles.labelsName(prefix, gzip)).toUri().toString(), 0, 10);
    }

    /** The training set in WORKERS shards, placed as a WORKERS-worker run places it. */
    private static List<Dataset> shards() {
        return new ShardLayout(SEED, 0, WORKERS).trainShards(train);
    }

    private static BatchPlan plan() {
        return new ShardLayout(SEED, 0, WORKERS).plan(shards(), BATCH, false);
    }

    private static TrainConfig schedule(int epochs, int k) {
        return new TrainConfig(epochs, BATCH, WORKERS, k, SEED, false, 0);
    }

    /** A fresh loop: new replica, executor and optimizer, as a new process would build them. */
    private static TrainingLoop loop(int epochs, int k, OptimizerSpec opt, List<TrainingListener> listeners) {
        return loop(MLP, epochs, k, opt, listeners);
    }

    private static TrainingLoop loop(ModelSpec spec, int epochs, int k, OptimizerSpec opt,
                                     List<TrainingListener> listeners) {
        Replica replica = new Replica(spec);
        LocalExecutor executor = new LocalExecutor(replica, shards(), val, plan(), 10, 0);
        return new TrainingLoop(schedule(epochs, k), executor, Optimizers.create(opt, replica.layout()), null, listeners);
    }

    private static TrainingSnapshot fresh() {
        return TrainingSnapshot.fresh(new Replica(MLP).params(), SEED, "{}");
    }

    /** Same dtype, shape and bit-for-bit values (INDArray.equals allows a 1e-5 difference). */
    private static void assertExactlyEqual(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertArrayEquals(expected.toDoubleVector(), actual.toDoubleVector(), what);
    }

    @Test
    void theLossFallsOnLearnableData() {
        TrainingSnapshot end = loop(3, 1, ADAM, List.of()).run(fresh());
        List<EpochMetrics> h = end.history();
        assertEquals(3, h.size());
        for (int e = 1; e < h.size(); e++) {
            assertTrue(h.get(e).trainLoss() < h.get(e - 1).trainLoss(), "train loss by epoch: " + h);
            assertTrue(h.get(e).valLoss() < h.get(e - 1).valLoss(), "val loss by epoch: " + h);
        }
        assertTrue(h.get(0).trainLoss() > 1.5, "the first epoch starts near ln(10): " + h.get(0));
        assertTrue(h.get(2).valAccuracy() > 0.9, "bars are easy to tell apart: " + h.get(2));
        assertEquals(2L * plan().samplesPerShard(), h.get(0).trainExamples(), "the largest shard's size, both shards");
        assertTrue(plan().samplesPerShard() >= 128 && plan().samplesPerShard() < 150, "256 examples hashed into 2 shards");
        assertEquals(64, h.get(0).valExamples());
    }

    /** Records the hooks the loop calls. */
    private static final class Recorder implements TrainingListener {
        final List<String> calls = new ArrayList<>();
        final List<Long> roundSteps = new ArrayList<>();

        @Override
        public void onRoundEnd(RoundEvent event) {
            calls.add("round " + event.epoch());
            roundSteps.add(event.globalStep());
        }

        @Override
        public void onEpochEnd(EpochEvent event) {
            assertEquals(event.metrics().epoch(), event.snapshot().epochsDone());
            assertEquals(event.metrics(), event.snapshot().last());
            calls.add("epoch " + event.metrics().epoch());
        }

        @Override
        public void onTrainingEnd(EndEvent event) {
            calls.add("end " + event.snapshot().epochsDone() + (event.stopReason() == null ? "" : " " + event.stopReason()));
        }
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {1, 3, 8, 20})
    void listenersSeeEveryRoundAndEpochInOrder(int k) {
        int epochs = 2;
        int steps = plan().stepsPerEpoch();
        assertEquals((plan().samplesPerShard() + 15) / 16, steps, "the larger shard's size over 16, rounded up");
        int rounds = (steps + k - 1) / k;
        Recorder recorder = new Recorder();
        TrainingSnapshot end = loop(epochs, k, OptimizerSpec.sgd(0.05, 0, false, 0), List.of(recorder)).run(fresh());

        List<String> expected = new ArrayList<>();
        List<Long> expectedSteps = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            for (int r = 0; r < rounds; r++) {
                expected.add("round " + e);
                expectedSteps.add((long) e * steps + Math.min(steps, (r + 1) * k));
            }
            expected.add("epoch " + (e + 1));
        }
        expected.add("end " + epochs);
        assertEquals(expected, recorder.calls);
        assertEquals(expectedSteps, recorder.roundSteps);
        assertEquals((long) epochs * steps, end.globalStep());
    }

    private static TrainingListener.RoundEvent round(int epoch, long step, double lossSum, INDArray params) {
        return new TrainingListener.RoundEvent(epoch, step, 1, 1, 10, lossSum, 32, List.of(0.1), params, new TrainingControl());
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {1, 3})
    void aListenerStopsTheRunCleanlyAfterTheEpochItAsks(int k) {
        Recorder recorder = new Recorder();
        TrainingListener stopAt2 = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEvent event) {
                if (event.metrics().epoch() == 2) {
                    event.stop("enough");
                }
            }
        };
        TrainingLoop loop = loop(5, k, ADAM, List.of(stopAt2, recorder));
        TrainingSnapshot end = loop.run(fresh());
        assertEquals(2, end.epochsDone());
        assertEquals(2, end.history().size());
        assertEquals("enough", loop.stopReason());
        assertEquals("end 2 enough", recorder.calls.get(recorder.calls.size() - 1));
        // the state it stopped in is the state of a run configured for 2 epochs
        assertExactlyEqual(loop(2, k, ADAM, List.of()).run(fresh()).params(), end.params(), "params");
    }

    @Test
    void earlyStoppingStopsWhenTheMonitoredMetricStalls() {
        EarlyStopping es = new EarlyStopping("val_loss", 2, 0.01);
        List<EpochMetrics> h = new ArrayList<>();
        double[] losses = {1.0, 0.8, 0.795, 0.81, 0.7, 0.705, 0.695};
        List<String> stops = new ArrayList<>();
        for (double l : losses) {
            h.add(new EpochMetrics(h.size() + 1, h.size(), 1, 1, l, 0.5, 1, 1, 1, 1, List.of(0.1)));
            TrainingControl control = new TrainingControl();
            TrainingSnapshot s = new TrainingSnapshot(h.size(), h.size(), null, null, null, 1, "{}", h);
            es.onEpochEnd(new TrainingListener.EpochEvent(h.get(h.size() - 1), s, 10, control));
            stops.add(control.stopRequested() ? "stop" : "go");
        }
        // best 0.8 at epoch 2; 0.795 and 0.81 do not beat it by 0.01: stop after epoch 4; 0.7 improves
        assertEquals(List.of("go", "go", "go", "stop", "go", "go", "stop"), stops);
        EarlyStopping acc = new EarlyStopping("val_accuracy", 1, 0);
        assertEquals(1, acc.epochsSinceImprovement(List.of(
                new EpochMetrics(1, 1, 1, 1, 1, 0.6, 1, 1, 1, 1, List.of(0.1)),
                new EpochMetrics(2, 2, 1, 1, 1, 0.6, 1, 1, 1, 1, List.of(0.1)))), "accuracy must rise");
        assertThrows(dev.sparktrain.config.ConfigException.class, () -> new EarlyStopping("val_acc", 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("val_loss", 0, 0));
    }

    @Test
    void nanGuardStopsAtANonFiniteLoss() {
        NanGuard guard = new NanGuard();
        INDArray finite = Nd4j.createFromArray(1f, -2f, 3f);
        assertDoesNotThrow(() -> guard.onRoundEnd(round(0, 1, 123.4, finite)));
        for (double bad : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            DivergenceException e = assertThrows(DivergenceException.class,
                    () -> guard.onRoundEnd(round(2, 17, bad, finite)));
            assertTrue(e.getMessage().contains("learning rate") && e.getMessage().contains("epoch 3, step 17")
                    && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
            // a finite loss with a blown-up parameter is caught too
            INDArray broken = Nd4j.createFromArray(1f, (float) bad, 3f);
            DivergenceException p = assertThrows(DivergenceException.class,
                    () -> guard.onRoundEnd(round(0, 5, 1.0, broken)));
            assertTrue(p.getMessage().contains("parameters"), p.getMessage());
        }
    }

    @Test
    void nanGuardStopsADivergingRun() {
        // LeNet: with the MLP, lr = 1e6 ruins the model but DL4J's clipped cross-entropy stays finite (~20)
        ModelSpec lenet = new ModelSpec("lenet", List.of(), "float32", 1, 28, 28, 10, 7);
        Recorder recorder = new Recorder();
        TrainingLoop diverging = loop(lenet, 3, 1, OptimizerSpec.sgd(1e30, 0, false, 0),
                List.of(new NanGuard(), recorder));
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> diverging.run(TrainingSnapshot.fresh(new Replica(lenet).params(), SEED, "{}")));
        assertTrue(e.getMessage().contains("learning rate") && e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(recorder.calls.contains("epoch 1"), "stopped within the first epoch: " + recorder.calls);
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {1, 3})
    void resumingFromASnapshotEqualsAStraightRun(int k) {
        TrainingSnapshot straight = loop(4, k, ADAM, List.of()).run(fresh());
        TrainingSnapshot half = loop(2, k, ADAM, List.of()).run(fresh());
        assertEquals(2, half.epochsDone());
        TrainingSnapshot resumed = loop(4, k, ADAM, List.of()).run(half);

        assertEquals(4, resumed.epochsDone());
        assertEquals(straight.globalStep(), resumed.globalStep());
        assertExactlyEqual(straight.params(), resumed.params(), "params");
        assertEquals(straight.optimizerState().steps(), resumed.optimizerState().steps());
        assertEquals(straight.optimizerState().buffers().keySet(), resumed.optimizerState().buffers().keySet());
        straight.optimizerState().buffers()
                .forEach((name, b) -> assertExactlyEqual(b, resumed.optimizerState().buffers().get(name), name));
        for (int e = 0; e < 4; e++) {
            EpochMetrics a = straight.history().get(e);
            EpochMetrics b = resumed.history().get(e);
            assertTrue(a.sameOutcome(b), "epoch " + (e + 1) + ": " + a + " vs " + b);
        }
        assertFalse(straight.params().equals(fresh().params()), "training moved the parameters");
    }

    /**
     * One worker averaging k inner steps is the single-process trainer: k = 3 with a per-step StepLR
     * (its decays falling inside rounds) ends with the lrs and, to rounding, the parameters of k = 1.
     * (The driver once took the workers' last inner lr and stepped the scheduler on from it, which
     * applied a decay that fell inside a round twice.)
     */
    @Test
    void oneWorkerAveragingWithAPerStepScheduleFollowsTheSingleProcessSchedule() {
        ShardLayout layout = new ShardLayout(SEED, 0, 1);
        List<Dataset> one = layout.trainShards(train);
        BatchPlan onePlan = layout.plan(one, BATCH, false);
        TrainingSnapshot[] ends = new TrainingSnapshot[2];
        int[] ks = {1, 3};
        for (int i = 0; i < 2; i++) {
            Replica replica = new Replica(MLP);
            GroupedOptimizer opt = Optimizers.create(OptimizerSpec.sgd(0.05, 0.9, false, 0), replica.layout());
            Schedule schedule = Schedule.of(new dev.sparktrain.config.SchedulerConfig(
                    java.util.Map.of("type", "step", "step_size", 2, "gamma", 0.5), true), opt);
            ends[i] = new TrainingLoop(new TrainConfig(2, BATCH, 1, ks[i], SEED, false, 0),
                    new LocalExecutor(replica, one, val, onePlan, 10, 0), opt, schedule, List.of()).run(fresh());
        }
        assertEquals(ends[0].globalStep(), ends[1].globalStep());
        assertEquals(ends[0].last().lr(), ends[1].last().lr(), "the lr of the last step");
        assertEquals(ends[0].optimizerState().groups().get(0).hyper().lr(),
                ends[1].optimizerState().groups().get(0).hyper().lr(), "the lr the next step would use");
        double diff = ends[0].params().sub(ends[1].params()).amaxNumber().doubleValue()
                / ends[0].params().amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "parameters differ by " + diff + " (max-norm relative)");
    }
}
