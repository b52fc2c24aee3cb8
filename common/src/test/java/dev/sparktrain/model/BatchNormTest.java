package dev.sparktrain.model;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch norm's running statistics: buffers, not parameters. Training mode normalizes with the
 * minibatch's statistics and moves the running ones by momentum; eval mode uses the running ones.
 */
class BatchNormTest {
    /** linear(4) -> batchnorm -> relu -> linear(3), float64, on 2x2 "images" (4 features). */
    private static final String MODEL = "model { type = sequential, dtype = float64, layers = ["
            + "{type = flatten}, {type = linear, out_features = 4}, {type = batchnorm, momentum = 0.25},"
            + "{type = relu}, {type = linear, out_features = 3}] }\ndata.classes = 3";

    private static Replica replica() {
        JobConfig c = ConfigLoader.parse(MODEL, List.of());
        return new Replica(c.model().spec(1, 2, 2, c.data().classes(), 7));
    }

    private static DataSet batch(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, 4).muli(3).subi(1);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(x, y);
    }

    private static INDArray slice(INDArray flat, ParamLayout.Segment s) {
        return flat.get(NDArrayIndex.interval(s.offset(), s.offset() + s.length()));
    }

    @Test
    void runningStatisticsAreBuffersOutsideEveryParamGroup() {
        Replica r = replica();
        assertEquals(List.of("2.mean", "2.log10stdev"),
                r.layout().buffers().stream().map(ParamLayout.Segment::name).toList());
        assertEquals(List.of("1.weight", "1.bias", "2.gamma", "2.beta", "4.weight", "4.bias"),
                r.layout().trainable().stream().map(ParamLayout.Segment::name).toList());
        String text = ModelSummary.of(r, Set.of()).render();
        // PyTorch: Linear(4,4) 20 + BatchNorm1d(4) 8 + Linear(4,3) 15 = 43 parameters; 8 running-stat values
        assertTrue(text.contains("Total params: 43") && text.contains("Buffers (running statistics): 8"), text);
        assertTrue(text.contains("(2): BatchNorm1d(4, eps=1e-05, momentum=0.25, affine=True, track_running_stats=True)"), text);
    }

    @Test
    void aTrainingStepMovesTheRunningMeanByMomentumTowardsTheBatchMean() {
        Replica r = replica();
        INDArray theta = r.params();
        DataSet b = batch(16, 3);
        INDArray pre = b.getFeatures().mmul(r.network().getLayer(0).getParam("W"))
                .addiRowVector(r.network().getLayer(0).getParam("b"));
        var g = r.gradientSum(b);
        ParamLayout.Segment mean = r.layout().segment("2.mean");
        ParamLayout.Segment logStd = r.layout().segment("2.log10stdev");
        INDArray oldMean = slice(theta, mean).dup();
        INDArray newMean = oldMean.sub(slice(g.gradient(), mean).div(16));
        INDArray expected = oldMean.mul(0.75).addi(pre.mean(0).muli(0.25));
        // DL4J keeps log10(std) of the running variance, updated with the biased minibatch variance (PyTorch's
        // running_var uses the unbiased one: a factor n/(n-1) apart on the batch term)
        INDArray oldLog = slice(theta, logStd).dup();
        INDArray newLog = oldLog.sub(slice(g.gradient(), logStd).div(16));
        INDArray oldVar = Transforms.pow(Transforms.pow(Nd4j.valueArrayOf(oldLog.shape(), 10.0, DataType.DOUBLE),
                oldLog, false), 2, false);
        INDArray newVar = Transforms.pow(Transforms.pow(Nd4j.valueArrayOf(newLog.shape(), 10.0, DataType.DOUBLE),
                newLog, false), 2, false);
        INDArray expectedVar = oldVar.mul(0.75).addi(pre.var(false, 0).muli(0.25));
        assertEquals(0, expectedVar.distance2(newVar), 1e-10, newVar + " vs " + expectedVar);
        assertEquals(0, expected.distance2(newMean), 1e-12);
        assertEquals(theta, r.network().params(), "the replica's running stats change only through the driver");
    }

    @Test
    void theOptimizerMovesBuffersByTheirMeanDeltaAndKeepsNoStateForThem() {
        Replica r = replica();
        JobConfig c = ConfigLoader.parse(MODEL + "\noptimizer { type = adam, lr = 0.1, weight-decay = 0.5, "
                + "groups = [{ params = \"2.*\", lr = 0.01 }] }", List.of());
        GroupedOptimizer opt = Optimizers.create(c.optimizer(), r.layout());
        INDArray theta = r.params();
        INDArray grad = Nd4j.rand(DataType.DOUBLE, theta.length());
        INDArray before = theta.dup();
        opt.step(theta, grad);
        for (ParamLayout.Segment s : r.layout().segments()) {
            INDArray moved = slice(before, s).sub(slice(theta, s));
            if (s.buffer()) {
                assertEquals(0, moved.distance2(slice(grad, s)), 1e-15, s.name() + " moves by exactly its delta");
            } else {
                assertFalse(moved.equalsWithEps(slice(grad, s), 1e-6), s.name() + " is stepped by Adam");
            }
        }
        assertEquals(List.of("2.gamma", "2.beta"), opt.stateDict().groups().get(1).params(),
                "the glob 2.* selects the batch norm's parameters, not its buffers");
        assertTrue(opt.stateDict().buffers().keySet().stream().noneMatch(k -> k.startsWith("2.mean")
                || k.startsWith("2.log10stdev")), opt.stateDict().buffers().keySet().toString());
    }

    @Test
    void evalModeNormalizesWithTheRunningStatisticsTrainingModeWithTheBatch() {
        Replica r = replica();
        INDArray theta = r.params();
        ParamLayout.Segment mean = r.layout().segment("2.mean");
        slice(theta, mean).assign(Nd4j.createFromArray(0.5, -0.5, 1.0, 2.0));
        r.setParams(theta);
        DataSet b = batch(8, 5);
        INDArray all = r.network().output(b.getFeatures(), false);
        INDArray one = r.network().output(b.getFeatures().getRow(3, true), false);
        assertEquals(0, all.getRow(3, true).distance2(one), 1e-12, "eval: an example's output ignores its batch");
        INDArray trainAll = r.network().output(b.getFeatures(), true);
        INDArray trainHalf = r.network().output(b.getFeatures().get(NDArrayIndex.interval(0, 4)), true);
        assertTrue(trainAll.getRow(3, true).distance2(trainHalf.getRow(3, true)) > 1e-6,
                "train: the batch's statistics normalize");
        assertTrue(trainAll.distance2(all) > 1e-6);
    }

    @Test
    void theZoosBnCnnHasPyTorchsParameterCountAndRoundTripsThroughTheSavedZip() throws Exception {
        Replica r = new Replica(new ModelSpec("bncnn", List.of(), "float32", 1, 28, 28, 10, 3));
        ModelSummary summary = ModelSummary.of(r, Set.of());
        // conv 1->32 3x3 no bias, BatchNorm2d(32), conv 32->64, BatchNorm2d(64), Linear(64*7*7, 128),
        // BatchNorm1d(128), Linear(128, 10), as torch counts parameters (buffers excluded)
        long expected = 32 * 9 + 2 * 32 + 64 * 32 * 9 + 2 * 64 + (64 * 7 * 7 * 128 + 128) + 2 * 128 + (128 * 10 + 10);
        assertEquals(expected, summary.totalParams());
        assertTrue(summary.render().contains("(0): Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), "
                + "bias=False)") && summary.render().contains("(12): Dropout(p=0.3)")
                && summary.render().contains("(8): Flatten(start_dim=1, end_dim=-1)"), summary.render());
        assertEquals(List.of(-1L, 3136L), summary.rows().get(8).outputShape());
        assertEquals(expected + 2 * (32 + 64 + 128), r.numParams(), "plus running mean and std per channel");

        INDArray params = r.params().addi(0.01); // running statistics too
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        r.writeModel(params, zip);
        var restored = org.deeplearning4j.util.ModelSerializer
                .restoreMultiLayerNetwork(new java.io.ByteArrayInputStream(zip.toByteArray()));
        assertEquals(summary.render(), ModelSummary.of(restored,
                org.deeplearning4j.nn.conf.inputs.InputType.convolutional(28, 28, 1), "Bncnn", Set.of()).render());
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 28 * 28);
        assertEquals(r.network().output(x, false), restored.output(x, false), "eval mode, same running statistics");
    }
}
