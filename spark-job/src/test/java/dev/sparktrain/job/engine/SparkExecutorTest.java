package dev.sparktrain.job.engine;

import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.run.TrainingRun;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import dev.sparktrain.train.TrainingSnapshot;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkExecutorTest {
    @TempDir
    Path dir;

    @Test
    void tasksCarryNoDataAndReuseTheCachedReplicas() throws Exception {
        JobConfig config = TestJobs.synthetic(dir, 400, "train.workers=2", "train.batch-size=10",
                "train.averaging-frequency=1");
        ModelSpec spec = new TrainingRun(config, EquivalenceTest.QUIET).modelSpec();
        INDArray params = new Replica(spec).params();
        try (SparkExecutor executor = new SparkExecutor(SharedSpark.context(), config, spec)) {
            // the task closure: broadcast handle, batch plan, model spec — no examples, no parameters
            Broadcast<RawMessage> bc = SharedSpark.context().broadcast(
                    RawMessage.of(RoundRequest.synchronous(0, 0, params)));
            ByteBuffer task = SparkEnv.get().closureSerializer().newInstance().serialize(
                    new RoundTask(bc, new ShardRounds(new BatchPlan(1, new int[]{200, 200}, 10, false, true), spec,
                            10, TaskDevice.cpu(1), 0)),
                    scala.reflect.ClassTag$.MODULE$.apply(RoundTask.class));
            assertTrue(task.remaining() < 4_096, "serialized task is " + task.remaining() + " bytes");
            bc.destroy();

            int builtBefore = ReplicaPool.built();
            long examples = 0;
            for (int step = 0; step < 20; step++) {
                RoundResult r = executor.round(RoundRequest.synchronous(0, step, params));
                assertEquals(params.length(), ((RoundResult.Gradients) r).sum().length());
                examples += r.count();
            }
            assertEquals(20 * 2 * 10, examples);
            // local[2]: at most two tasks at once, so at most two replicas, however many rounds
            assertTrue(ReplicaPool.built() - builtBefore <= 2, "replicas built: " + (ReplicaPool.built() - builtBefore));
            assertEquals(400 / 4, executor.evaluate(params).count());
        }
    }

    @Test
    void threadBudgetSplitsTheCoresAmongConcurrentTasks() {
        assertEquals(1, ThreadBudget.threadsPerTask(0, "local[2]", 2, 1));
        assertEquals(2, ThreadBudget.threadsPerTask(0, "local[4]", 2, 1));
        assertEquals(4, ThreadBudget.threadsPerTask(0, "local[4]", 1, 1));
        assertEquals(3, ThreadBudget.threadsPerTask(3, "local[4]", 2, 1));
        assertEquals(2, ThreadBudget.threadsPerTask(0, "spark://h:7077", 8, 2));
    }

    @Test
    void orderedAggregationIsBitReproducibleWithThreeWorkers() throws Exception {
        String[] common = {"train.workers=3", "train.batch-size=8", "train.averaging-frequency=2", "train.epochs=1",
                "optimizer.type=adam", "optimizer.lr=0.003"};
        JobConfig ordered = TestJobs.synthetic(dir, 150, common).with("train.aggregation", "ordered");
        INDArray first = train(ordered);
        INDArray second = train(ordered);
        assertTrue(java.util.Arrays.equals(first.toFloatVector(), second.toFloatVector()),
                "two runs of the same config must give identical parameters");
        INDArray tree = train(ordered.with("train.aggregation", "tree"));
        assertTrue(EquivalenceTest.normRelativeDifference(tree, first) < 1e-5);
    }

    @Test
    void loadingThreadsInTheTasksChangeNoBit() throws Exception {
        // averaging rounds of k = 3 minibatches (loaded ahead in the task) and a validation pass
        JobConfig inline = TestJobs.synthetic(dir, 150, "train.workers=2", "train.batch-size=8",
                "train.averaging-frequency=3", "train.epochs=2", "optimizer.type=adam", "optimizer.lr=0.003",
                "train.aggregation=ordered");
        TrainingSnapshot expected = run(inline);
        TrainingSnapshot prefetched = run(inline.with("data.num-workers", 2));
        assertTrue(java.util.Arrays.equals(expected.params().toFloatVector(), prefetched.params().toFloatVector()),
                "data.num-workers = 2 must give the parameters of data.num-workers = 0");
        for (int e = 0; e < 2; e++) {
            EpochMetrics a = expected.history().get(e);
            EpochMetrics b = prefetched.history().get(e);
            assertEquals(a.trainLoss(), b.trainLoss(), "epoch " + (e + 1) + " train loss");
            assertEquals(a.valLoss(), b.valLoss(), "epoch " + (e + 1) + " val loss");
            assertEquals(a.valAccuracy(), b.valAccuracy(), "epoch " + (e + 1) + " val accuracy");
        }
    }

    @Test
    void localDiskShardsTrainBitIdenticallyToInMemoryShards() throws Exception {
        // synchronous rounds and k = 3 averaging rounds, a validation pass per epoch
        for (int k : new int[]{1, 3}) {
            JobConfig memory = TestJobs.synthetic(dir, 150, "train.workers=2", "train.batch-size=8",
                    "train.averaging-frequency=" + k, "train.epochs=2", "optimizer.type=adam", "optimizer.lr=0.003",
                    "train.aggregation=ordered", "data.storage=memory-and-disk");
            TrainingSnapshot expected = run(memory);
            TrainingSnapshot disk = run(memory.with("data.storage", "local-disk"));
            assertTrue(java.util.Arrays.equals(expected.params().toFloatVector(), disk.params().toFloatVector()),
                    "k = " + k + ": data.storage = local-disk must give the parameters of memory-and-disk");
            for (int e = 0; e < 2; e++) {
                EpochMetrics a = expected.history().get(e);
                EpochMetrics b = disk.history().get(e);
                assertEquals(a.trainLoss(), b.trainLoss(), "k = " + k + ", epoch " + (e + 1) + " train loss");
                assertEquals(a.valLoss(), b.valLoss(), "k = " + k + ", epoch " + (e + 1) + " val loss");
                assertEquals(a.valAccuracy(), b.valAccuracy(), "k = " + k + ", epoch " + (e + 1) + " val accuracy");
            }
        }
    }

    @Test
    void residentRoundsGiveTheBitsOfOneJobPerRound() throws Exception {
        // synchronous rounds and k = 3 averaging rounds over two epochs (the resident job restarts
        // after each epoch's validation), against one Spark job per round summed in partition order
        for (int k : new int[]{1, 3}) {
            JobConfig jobs = TestJobs.synthetic(dir, 150, "train.workers=2", "train.batch-size=8",
                    "train.averaging-frequency=" + k, "train.epochs=2", "optimizer.type=adam", "optimizer.lr=0.003",
                    "train.aggregation=ordered", "train.rounds=jobs");
            TrainingSnapshot expected = run(jobs, false);
            TrainingSnapshot resident = run(jobs.with("train.rounds", "resident"), true);
            assertTrue(java.util.Arrays.equals(expected.params().toFloatVector(), resident.params().toFloatVector()),
                    "k = " + k + ": resident rounds must give the parameters of one job per round");
            for (int e = 0; e < 2; e++) {
                EpochMetrics a = expected.history().get(e);
                EpochMetrics b = resident.history().get(e);
                assertEquals(a.trainLoss(), b.trainLoss(), "k = " + k + ", epoch " + (e + 1) + " train loss");
                assertEquals(a.valLoss(), b.valLoss(), "k = " + k + ", epoch " + (e + 1) + " val loss");
            }
        }
    }

    @Test
    void autoRoundsAreResidentOnlyWithATaskSlotPerShard() throws Exception {
        String[] common = {"train.batch-size=8", "train.averaging-frequency=1"};
        JobConfig two = TestJobs.synthetic(dir, 150, common).with("train.workers", 2);
        ModelSpec spec = new TrainingRun(two, EquivalenceTest.QUIET).modelSpec();
        try (SparkExecutor executor = new SparkExecutor(SharedSpark.context(), two, spec)) {
            assertTrue(executor.residentRounds(), "2 shards on local[2]: resident");
        }
        try (SparkExecutor executor = new SparkExecutor(SharedSpark.context(), two.with("train.workers", 3), spec)) {
            assertFalse(executor.residentRounds(), "3 shards on local[2]: one job per round");
            executor.round(RoundRequest.synchronous(0, 0, new Replica(spec).params()));
        }
        try (SparkExecutor executor = new SparkExecutor(SharedSpark.context(), two.with("train.rounds", "jobs"), spec)) {
            assertFalse(executor.residentRounds(), "train.rounds = jobs");
        }
    }

    @Test
    void residentTasksCarryNoDataAndNoParameters() throws Exception {
        ResidentTask task = new ResidentTask("localhost", 1, "0".repeat(48),
                new ShardRounds(new BatchPlan(1, new int[]{200, 200}, 10, false, true),
                        new TrainingRun(TestJobs.synthetic(dir, 40), EquivalenceTest.QUIET).modelSpec(), 10, TaskDevice.cpu(1), 0));
        ByteBuffer bytes = SparkEnv.get().closureSerializer().newInstance().serialize(task,
                scala.reflect.ClassTag$.MODULE$.apply(ResidentTask.class));
        assertTrue(bytes.remaining() < 4_096, "serialized task is " + bytes.remaining() + " bytes");
    }

    private static INDArray train(JobConfig config) {
        return run(config).params();
    }

    private static TrainingSnapshot run(JobConfig config) {
        return run(config, null);
    }

    /** Checks whether the rounds were resident (to the end) when {@code resident} is not null. */
    private static TrainingSnapshot run(JobConfig config, Boolean resident) {
        ModelSpec spec = new TrainingRun(config, EquivalenceTest.QUIET).modelSpec();
        try (SparkExecutor executor = new SparkExecutor(SharedSpark.context(), config, spec)) {
            TrainingSnapshot end = new dev.sparktrain.train.TrainingLoop(config.train(), executor,
                    dev.sparktrain.optim.Optimizers.create(config.optimizer(), new Replica(spec).layout()), null,
                    java.util.List.of())
                    .run(TrainingSnapshot.fresh(new Replica(spec).params(), 1, "{}"));
            if (resident != null) {
                assertEquals(resident, executor.residentRounds(), "resident rounds");
            }
            return end;
        }
    }
}
