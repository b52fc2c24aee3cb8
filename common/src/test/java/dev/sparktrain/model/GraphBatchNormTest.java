package dev.sparktrain.model;

import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.Optimizers;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch norm and dropout nodes in a ComputationGraph: buffers, gradients, train vs eval mode. */
class GraphBatchNormTest {
    /** conv -> bn -> relu, plus a skip from the conv, -> dropout -> pool -> fc; float64. */
    private static Replica model() {
        return new Replica(GraphBuilder.create("Net", 11).dtype("float64")
                .imageInput("x", 1, 6, 6)
                .conv2d("conv", "x", 3, 3, 1, 1).batchnorm("bn", "conv").relu("relu", "bn")
                .add("skip", "relu", "conv").dropout("drop", "skip", 0.25).globalAvgPool("pool", "drop")
                .output("fc", "pool", 4, null).build());
    }

    @Test
    void runningStatisticsAreBuffersAndTheSummaryCountsThemApart() {
        Replica r = model();
        assertEquals(List.of("bn.mean", "bn.log10stdev"),
                r.layout().buffers().stream().map(ParamLayout.Segment::name).toList());
        String text = ModelSummary.of(r.graph(), List.of(org.deeplearning4j.nn.conf.inputs.InputType
                .convolutional(6, 6, 1)), "Net", Set.of()).render();
        // Conv2d(1, 3, 3) 30 + BatchNorm2d(3) 6 + Linear(3, 4) 16; running mean and std 3 + 3
        assertTrue(text.contains("Total params: 52") && text.contains("Buffers (running statistics): 6"), text);
        assertTrue(text.contains("(bn): BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)")
                && text.contains("(drop): Dropout(p=0.25)"), text);
    }

    @Test
    void theGraphPassesAGradientCheckWithDropoutOff() {
        Replica r = new Replica(GraphBuilder.create("Net", 11).dtype("float64").imageInput("x", 1, 6, 6)
                .conv2d("conv", "x", 3, 3, 1, 1).batchnorm("bn", "conv").relu("relu", "bn")
                .add("skip", "relu", "conv").globalAvgPool("pool", "skip").output("fc", "pool", 4, null).build());
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 36);
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(r.graph())
                    .inputs(new INDArray[]{x}).labels(new INDArray[]{GraphModelTest.oneHot(5, 4)}).epsilon(1e-6)
                    .maxRelError(1e-4).minAbsoluteError(1e-8).excludeParams(Set.of("bn_mean", "bn_log10stdev"))
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    @Test
    void aTrainingStepMovesTheRunningStatisticsAndEvalModeUsesThem() {
        Replica r = model();
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 36).muli(4).addi(1);
        MultiDataSet batch = new MultiDataSet(x, GraphModelTest.oneHot(8, 4));
        INDArray theta = r.params();
        GroupedOptimizer sgd = Optimizers.create(OptimizerSpec.sgd(0.1, 0, false, 0), r.layout());
        sgd.step(theta, r.gradientSum(batch).gradient().divi(8));
        ParamLayout.Segment mean = r.layout().segment("bn.mean");
        INDArray moved = theta.get(NDArrayIndex.interval(mean.offset(), mean.offset() + mean.length()));
        // momentum 0.1 from 0 towards the channel means of the conv output: clearly non-zero
        assertTrue(moved.amaxNumber().doubleValue() > 1e-3, moved.toString());
        r.setParams(theta);
        INDArray all = r.graph().outputSingle(false, x);
        INDArray one = r.graph().outputSingle(false, x.getRow(2, true));
        assertEquals(0, all.getRow(2, true).distance2(one), 1e-12, "eval: running statistics, no dropout");
        INDArray train1 = r.graph().outputSingle(true, x);
        INDArray train2 = r.graph().outputSingle(true, x);
        assertTrue(train1.distance2(train2) > 1e-9, "train: dropout draws differ between passes");
    }
}
