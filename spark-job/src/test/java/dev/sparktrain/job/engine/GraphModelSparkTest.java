package dev.sparktrain.job.engine;

import dev.sparktrain.config.JobConfig;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.run.TrainingRun;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.train.TrainingSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ComputationGraph model (the resnet zoo entry) trains on Spark with 2 workers like any other model. */
class GraphModelSparkTest {
    @TempDir
    Path dir;

    @Test
    void theResnetTrainsDistributedAndMatchesTheSingleProcessTrainer() throws Exception {
        // 160 examples, 2 shards of about 80, batch 8 per worker: about 10 synchronous steps per epoch
        JobConfig config = TestJobs.synthetic(dir, 160, "model.type=resnet", "model.dtype=float64", "train.workers=2",
                "train.batch-size=8", "train.averaging-frequency=1", "train.epochs=3", "optimizer.type=adam",
                "optimizer.lr=0.01");
        ModelSpec spec = new TrainingRun(config, EquivalenceTest.QUIET).modelSpec();
        TrainingSnapshot start = TrainingSnapshot.fresh(new Replica(spec).params(), 42, "{}");
        TrainingSnapshot distributed;
        try (StepExecutor spark = new SparkExecutor(SharedSpark.context(), config, spec)) {
            distributed = EquivalenceTest.loop(config, spark, spec).run(start);
        }
        TrainingSnapshot single = EquivalenceTest.loop(config, TestJobs.local(config, spec), spec).run(start);

        double diff = EquivalenceTest.maxRelativeDifference(distributed.params(), single.params());
        double moved = EquivalenceTest.normRelativeDifference(single.params(), start.params());
        System.out.printf("resnet on Spark, 2 workers: train loss %.4f -> %.4f, val acc %.3f; max relative difference "
                        + "to single-process %.3e (training moved params by %.3e)%n",
                distributed.history().get(0).trainLoss(), distributed.last().trainLoss(),
                distributed.last().valAccuracy(), diff, moved);
        assertTrue(moved > 1e-2, "training must have moved the parameters");
        // measured: train loss 2.300 -> 1.724 over 3 epochs, val acc 0.425 (chance 0.1), difference 1.3e-12
        // (float64, 30 Adam steps)
        assertTrue(distributed.last().trainLoss() < 0.85 * distributed.history().get(0).trainLoss(), "loss must decrease");
        assertTrue(distributed.last().valAccuracy() > 0.25, "val accuracy " + distributed.last().valAccuracy());
        assertTrue(diff < 2e-11, "max elementwise relative difference " + diff);
        assertEquals(single.last().valAccuracy(), distributed.last().valAccuracy(), 1e-9);
    }

    @Test
    void parameterAveragingOfTheResnetOnSparkEqualsInProcessAveraging() throws Exception {
        JobConfig config = TestJobs.synthetic(dir, 96, "model.type=resnet", "model.dtype=float64", "train.workers=2",
                "train.batch-size=8", "train.averaging-frequency=3", "train.epochs=1", "optimizer.type=adam",
                "optimizer.lr=0.005");
        ModelSpec spec = new TrainingRun(config, EquivalenceTest.QUIET).modelSpec();
        TrainingSnapshot start = TrainingSnapshot.fresh(new Replica(spec).params(), 42, "{}");
        TrainingSnapshot distributed;
        try (StepExecutor spark = new SparkExecutor(SharedSpark.context(), config, spec)) {
            distributed = EquivalenceTest.loop(config, spark, spec).run(start);
        }
        TrainingSnapshot inProcess = EquivalenceTest.loop(config, new EquivalenceTest.InProcessShards(config, spec), spec)
                .run(start);
        assertTrue(EquivalenceTest.maxRelativeDifference(inProcess.params(), start.params()) > 1e-2);
        assertArrayEquals(inProcess.params().toDoubleVector(), distributed.params().toDoubleVector(),
                "Spark's averaging must give the bits of in-process averaging");
    }
}
