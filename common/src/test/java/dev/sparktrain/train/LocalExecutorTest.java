package dev.sparktrain.train;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.IdxFiles;
import dev.sparktrain.data.format.IdxReader;
import dev.sparktrain.data.shards.ShardLayout;
import dev.sparktrain.data.LabelMode;
import dev.sparktrain.data.TransformedDataset;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.Optimizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process executor with loading threads (data.num-workers) against loading in the training
 * thread: the same minibatches, random crops and flips included, whatever order rounds are asked in.
 */
class LocalExecutorTest {
    private static final ModelSpec MLP = new ModelSpec("mlp", List.of(16), "float32", 1, 28, 28, 10, 7);

    @TempDir
    static Path dataDir;
    private static Dataset train;
    private static ArrayDataset val;

    @BeforeAll
    static void writeData() {
        IdxFiles.writeSynthetic(dataDir, "train", 120, 10, 1, false);
        IdxFiles.writeSynthetic(dataDir, "val", 70, 10, 2, false);
        ArrayDataset raw = read("train");
        DataConfig.Transforms random = new DataConfig.Transforms(1.0 / 255, new double[0], new double[0], false,
                true, 2);
        train = new TransformedDataset(raw, random, new double[0], new double[0], true, LabelMode.ONE_HOT, 9);
        val = read("val");
    }

    private static ArrayDataset read(String prefix) {
        return IdxReader.read(dataDir.resolve(IdxFiles.imagesName(prefix, false)).toUri().toString(),
                dataDir.resolve(IdxFiles.labelsName(prefix, false)).toUri().toString(), 0, 10);
    }

    /** Rounds in the loop's order, then a skip ahead, a new epoch, a step back and an averaging round. */
    private static List<RoundResult> rounds(int numWorkers) {
        Replica replica = new Replica(MLP);
        INDArray params = replica.params().dup();
        OptimizerSpec sgd = OptimizerSpec.sgd(0.1, 0.9, false, 0);
        ShardLayout layout = new ShardLayout(5, 0, 2);
        List<Dataset> shards = layout.trainShards(train);
        BatchPlan plan = layout.plan(shards, 8, false);
        assertTrue(plan.stepsPerEpoch() >= 8, "at least ceil(ceil(120 / 2) / 8)");
        List<RoundResult> out = new ArrayList<>();
        try (LocalExecutor ex = new LocalExecutor(replica, shards, val, plan, 10, numWorkers)) {
            for (int[] es : new int[][]{{0, 0}, {0, 1}, {0, 2}, {0, 5}, {0, 6}, {1, 0}, {1, 1}, {0, 3}}) {
                out.add(ex.round(RoundRequest.synchronous(es[0], es[1], params)));
            }
            var state = Optimizers.create(sgd, replica.layout()).stateDict();
            out.add(ex.round(new RoundRequest.Averaging(1, 2, 3, params, sgd, state)));
            out.add(ex.round(new RoundRequest.Averaging(1, 5, 3, params, sgd, state)));
        }
        return out;
    }

    private static INDArray sum(RoundResult r) {
        return r instanceof RoundResult.Gradients g ? g.sum() : ((RoundResult.Averages) r).deltaSum();
    }

    @Test
    void loadingThreadsGiveTheSameRoundsBitForBit() {
        List<RoundResult> inline = rounds(0);
        for (int workers : new int[]{1, 3}) {
            List<RoundResult> threaded = rounds(workers);
            for (int i = 0; i < inline.size(); i++) {
                RoundResult a = inline.get(i);
                RoundResult b = threaded.get(i);
                String what = "round " + i + " with " + workers + " workers";
                assertEquals(a.count(), b.count(), what);
                assertEquals(a.lossSum(), b.lossSum(), what);
                assertArrayEquals(sum(a).toFloatVector(), sum(b).toFloatVector(), what);
            }
        }
    }

    @Test
    void validationBatchesLoadedAheadGiveTheSameSums() {
        Replica replica = new Replica(MLP);
        INDArray params = replica.params();
        var inline = ShardStepper.evaluate(replica, val, params, 10, 16, 0);
        var threaded = ShardStepper.evaluate(replica, val, params, 10, 16, 2);
        assertEquals(70, inline.count(), "5 batches: 4 of 16 and one of 6");
        assertEquals(inline, threaded);
    }
}
