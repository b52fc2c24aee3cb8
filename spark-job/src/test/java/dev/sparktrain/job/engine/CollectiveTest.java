package dev.sparktrain.job.engine;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.run.TrainingRun;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.train.TrainingSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static dev.sparktrain.job.engine.EquivalenceTest.QUIET;
import static dev.sparktrain.job.engine.EquivalenceTest.loop;
import static dev.sparktrain.job.engine.EquivalenceTest.maxRelativeDifference;
import static dev.sparktrain.job.engine.EquivalenceTest.normRelativeDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collective transport (tasks reduce-scatter gradients, step their window of the optimizer state,
 * all-gather the parameters) gives the driver transport's bits: both sum the shards' results in shard
 * order and every optimizer rule is element-wise. Only clipping by norm sums its partial norms in
 * another order (within 1e-13 of the single-process trainer). Its state resumes in either transport.
 */
class CollectiveTest {
    @TempDir
    Path dir;

    private TrainingSnapshot train(JobConfig config, ModelSpec spec, TrainingSnapshot start, boolean collective) {
        try (SparkExecutor spark = new SparkExecutor(SharedSpark.context(), config, spec)) {
            assertEquals(collective, spark.stateOwner().isPresent(), "transport");
            return loop(config, spark, spec).run(start);
        }
    }

    @ParameterizedTest(name = "{0}, k = {1}")
    @CsvSource({"sgd, 1", "adam, 1", "adamw, 1", "rmsprop, 1", "adagrad, 1", "sgd, 3", "adam, 4"})
    void collectiveGivesTheDriverTransportsBitsForEveryOptimizerWithGroupsAndAScheduler(String type, int k)
            throws Exception {
        double lr = type.equals("sgd") || type.equals("adagrad") ? 0.05 : 0.005;
        String[] common = {"train.workers=2", "train.batch-size=8", "train.averaging-frequency=" + k,
                "train.epochs=2", "model.dtype=float64", "optimizer.type=" + type, "optimizer.lr=" + lr,
                "optimizer.groups=[{layers = [fc1, fc2], lr = " + lr / 4 + "}]", "scheduler.type=step",
                "scheduler.step_size=7", "scheduler.gamma=0.5", "scheduler.interval=step"};
        JobConfig driver = TestJobs.synthetic(dir, 330, concat(common, "train.transport=driver"));
        JobConfig collective = driver.with("train.transport", "collective");
        ModelSpec spec = new TrainingRun(driver, QUIET).modelSpec();
        TrainingSnapshot start = TrainingSnapshot.fresh(new Replica(spec).params(), 42, "{}");
        TrainingSnapshot viaDriver = train(driver, spec, start, false);
        TrainingSnapshot viaTasks = train(collective, spec, start, true);
        assertTrue(normRelativeDifference(viaDriver.params(), start.params()) > 1e-2, "parameters moved");
        assertArrayEquals(viaDriver.params().toDoubleVector(), viaTasks.params().toDoubleVector(),
                "the collective transport must give the driver transport's bits");
        assertEquals(viaDriver.optimizerState().buffers().keySet(), viaTasks.optimizerState().buffers().keySet());
        viaDriver.optimizerState().buffers().forEach((key, buf) -> assertArrayEquals(buf.toDoubleVector(),
                viaTasks.optimizerState().buffers().get(key).toDoubleVector(), key));
        assertEquals(viaDriver.optimizerState().steps(), viaTasks.optimizerState().steps());
        assertEquals(viaDriver.last().lr(), viaTasks.last().lr());
        assertEquals(viaDriver.last().trainLoss(), viaTasks.last().trainLoss());
        assertEquals(viaDriver.last().valLoss(), viaTasks.last().valLoss());
        assertEquals(viaDriver.globalStep(), viaTasks.globalStep());
    }

    @Test
    void clippingByGlobalNormReducesAScalarAndStaysWithin1e13OfTheSingleProcessTrainer() throws Exception {
        JobConfig config = TestJobs.synthetic(dir, 330, "train.workers=2", "train.batch-size=8",
                "train.averaging-frequency=1", "train.epochs=1", "model.dtype=float64", "optimizer.type=sgd",
                "optimizer.lr=0.05", "optimizer.momentum=0.9", "optimizer.clip-grad-norm=0.05",
                "train.transport=collective");
        ModelSpec spec = new TrainingRun(config, QUIET).modelSpec();
        TrainingSnapshot start = TrainingSnapshot.fresh(new Replica(spec).params(), 42, "{}");
        TrainingSnapshot viaTasks = train(config, spec, start, true);
        TrainingSnapshot again = train(config, spec, start, true);
        TrainingSnapshot single = loop(config, TestJobs.local(config, spec), spec).run(start);
        double diff = maxRelativeDifference(viaTasks.params(), single.params());
        System.out.printf("collective, clip_grad_norm 0.05: %d steps, max relative difference %.3e%n",
                single.globalStep(), diff);
        assertTrue(normRelativeDifference(single.params(), start.params()) > 1e-2, "parameters moved");
        assertTrue(diff < 1e-13, "max relative difference " + diff);
        assertArrayEquals(viaTasks.params().toDoubleVector(), again.params().toDoubleVector(),
                "the same P gives the same bits");
    }

    @Test
    void aCollectiveCheckpointResumesInTheDriverTransportAndTheOtherWayRound() throws Exception {
        String[] common = {"train.workers=2", "train.batch-size=8", "train.averaging-frequency=1",
                "model.dtype=float64", "optimizer.type=adam", "optimizer.lr=0.005", "train.epochs=1"};
        JobConfig oneDriver = TestJobs.synthetic(dir, 200, concat(common, "train.transport=driver"));
        JobConfig oneTasks = oneDriver.with("train.transport", "collective");
        ModelSpec spec = new TrainingRun(oneDriver, QUIET).modelSpec();
        TrainingSnapshot start = TrainingSnapshot.fresh(new Replica(spec).params(), 42, "{}");
        TrainingSnapshot straight = train(oneDriver.with("train.epochs", "3"), spec, start, false);
        TrainingSnapshot first = train(oneTasks, spec, start, true);
        TrainingSnapshot second = train(oneDriver.with("train.epochs", "2"), spec, first, false);
        TrainingSnapshot third = train(oneTasks.with("train.epochs", "3"), spec, second, true);
        assertEquals(straight.globalStep(), third.globalStep());
        assertArrayEquals(straight.params().toDoubleVector(), third.params().toDoubleVector());
        assertEquals(straight.history().stream().map(m -> List.of(m.trainLoss(), m.valLoss(), m.valAccuracy())).toList(),
                third.history().stream().map(m -> List.of(m.trainLoss(), m.valLoss(), m.valAccuracy())).toList());
    }

    @Test
    void collectiveThatCannotRunStopsWithTheSettingToChange() throws Exception {
        JobConfig one = TestJobs.synthetic(dir, 100, "train.workers=1", "train.transport=collective");
        ConfigException e = assertThrows(ConfigException.class,
                () -> Transport.choose(one.train(), SharedSpark.context(), 1000));
        assertEquals("train.transport = collective needs train.workers >= 2 (found 1): set train.transport = driver",
                e.getMessage());
        JobConfig three = one.with("train.workers", "3");
        e = assertThrows(ConfigException.class, () -> Transport.choose(three.train(), SharedSpark.context(), 1000));
        assertEquals("train.transport = collective runs all 3 tasks at once, and the cluster has 2 task slots: "
                + "set train.workers <= 2 or train.transport = driver", e.getMessage());
        JobConfig auto = three.with("train.transport", "auto");
        assertEquals(false, Transport.choose(auto.train(), SharedSpark.context(), 10_000_000).collective());
        JobConfig two = one.with("train.workers", "2").with("train.transport", "auto");
        Transport.Choice local = Transport.choose(two.train(), SharedSpark.context(), 10_000_000);
        assertEquals(false, local.collective());
        assertTrue(local.why().contains("local mode"), local.why());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
