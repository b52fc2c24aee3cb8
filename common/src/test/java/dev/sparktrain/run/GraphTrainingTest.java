package dev.sparktrain.run;

import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.model.ModelSummary;
import dev.sparktrain.model.Replica;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.TrainingSnapshot;
import dev.sparktrain.trainer.Trainer;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resnet zoo model (a ComputationGraph) trains through the ordinary run path, from the job config,
 * and its final model and checkpoint restore as plain DL4J graphs with the same summary and outputs.
 */
class GraphTrainingTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

    @TempDir
    Path dir;

    @Test
    void theResnetTrainsOnFashionMnistThroughTheLocalTrainer() throws Exception {
        if (System.getenv("CI") == null) { // in CI the data must be there: .ci/run installs it
            Assumptions.assumeTrue(Files.exists(FASHION), "Fashion-MNIST not installed (dataset-fashion-mnist)");
        }
        JobConfig config = ConfigLoader.parse("", List.of("model.type=resnet", "data.train.limit=1000",
                "data.val.limit=256", "train.epochs=4", "train.workers=2", "train.batch-size=16",
                "train.averaging-frequency=1", "optimizer.type=adam", "optimizer.lr=0.005",
                "output.dir=" + dir.resolve("run").toUri()));
        // measured: train loss 2.21, 1.47, 1.20, 1.04; val acc 0.41 .. 0.56 (a small net, few examples, 4 s)
        long t0 = System.nanoTime();
        TrainingResult result = Trainer.builder(config)
                .console(new PrintStream(OutputStream.nullOutputStream())).build().fit();
        TrainingSnapshot end = result.snapshot();
        Path run = dir.resolve("run/runs/" + result.runId());
        List<EpochMetrics> h = end.history();
        System.out.printf("resnet, 1,000 Fashion-MNIST examples, 4 epochs: train loss %s, val acc %s, %.1f s%n",
                h.stream().map(m -> String.format("%.3f", m.trainLoss())).toList(),
                h.stream().map(m -> String.format("%.3f", m.valAccuracy())).toList(), (System.nanoTime() - t0) / 1e9);
        assertEquals(4, h.size());
        assertTrue(h.get(3).trainLoss() < 0.6 * h.get(0).trainLoss(), "train loss must decrease: " + h);
        assertTrue(h.get(3).valAccuracy() > 0.45, "val accuracy (chance: 0.1) " + h.get(3).valAccuracy());
        // the final model.zip is a plain DL4J ComputationGraph with the trained parameters
        ComputationGraph model = ModelSerializer.restoreComputationGraph(run.resolve("model.zip").toFile());
        assertEquals(end.params(), model.params().reshape(end.params().length()));

        // the last checkpoint: its parameters, and a model.zip with the same summary and outputs
        TrainingSnapshot saved = new CheckpointStore(run.resolve("checkpoints").toUri().toString(), 3,
                new Configuration()).loadLatest().orElseThrow();
        assertEquals(end.params(), saved.params());
        ComputationGraph checkpointed = ModelSerializer.restoreComputationGraph(
                run.resolve("checkpoints/epoch-000004/model.zip").toFile());
        Replica replica = new Replica(new TrainingRun(config, System.out).modelSpec());
        replica.setParams(saved.params());
        assertEquals(ModelSummary.of(replica, Set.of()).render(), ModelSummary.of(checkpointed,
                List.of(InputType.convolutionalFlat(28, 28, 1)), "ResNet", Set.of()).render());
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 784);
        assertEquals(replica.graph().output(false, x)[0], checkpointed.output(false, x)[0]);
    }
}
