package dev.sparktrain.model.layers;

import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.ParamLayout;
import dev.sparktrain.model.Replica;
import dev.sparktrain.model.Sequential;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite-difference gradient checks in double precision of each custom layer: alone (its input
 * gradient and every parameter, {@link LayerFiniteDifferences}, relative error below 1e-6: the layers
 * are linear in each single entry, so central differences are exact up to rounding), and inside a
 * network {@code linear(6 -> 4) -> custom -> linear(-> 3)} with DL4J's GradientCheckUtil (relative
 * error below 1e-6), where a wrong input gradient of the custom layer shows in the first linear's
 * gradient.
 */
class CustomLayerGradientTest {
    private static final double MAX_REL_ERROR = 1e-6;
    private static DataType before;

    @BeforeAll
    static void doublePrecision() {
        before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(before, before);
    }

    private static MultiLayerNetwork network(Sequential s) {
        ModelSpec spec = s.linear(3).dtype("float64").seed(11).build();
        MultiLayerNetwork net = new Replica(spec).network();
        net.initGradientsView(); // DL4J sets the gradient views on the first backprop; the direct checks need them
        return net;
    }

    private static Sequential head() {
        return Sequential.input(1, 1, 6).flatten().linear(4);
    }

    private static INDArray input(long rows, long cols, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, rows, cols);
    }

    private static void checkAlone(MultiLayerNetwork net, INDArray x, int compared) {
        LayerFiniteDifferences.Result r = LayerFiniteDifferences.check(net.getLayer(1), x, 3);
        assertEquals(compared, r.compared());
        assertTrue(r.maxRelError() < MAX_REL_ERROR, "worst: " + r.worst() + " (relative " + r.maxRelError() + ")");
    }

    private static void checkInNetwork(MultiLayerNetwork net) {
        INDArray x = input(5, 6, 21);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 5, 3);
        for (int i = 0; i < 5; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(MAX_REL_ERROR).minAbsoluteError(1e-10)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), "gradient check of " + net.getLayer(1));
    }

    @Test
    void centeredOverTheWholeTensor() {
        MultiLayerNetwork net = network(head().centered());
        checkAlone(net, input(5, 4, 1), 20);
        checkInNetwork(net);
        // the input gradient is g - mean(g): it sums to zero
        INDArray x = input(5, 4, 2);
        net.getLayer(1).activate(x, true, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        INDArray g = input(5, 4, 3);
        INDArray dx = net.getLayer(1).backpropGradient(g, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr
                .noWorkspaces()).getSecond();
        assertEquals(0, dx.sumNumber().doubleValue(), 1e-12);
        assertEquals(g.getDouble(0, 0) - g.meanNumber().doubleValue(), dx.getDouble(0, 0), 1e-12);
    }

    @Test
    void centeredPerExample() {
        MultiLayerNetwork net = network(head().centered(true));
        checkAlone(net, input(5, 4, 4), 20);
        checkInNetwork(net);
    }

    @Test
    void parameterListWithTheTutorialsMatrices() {
        // 4x4, 4x4, 4x4, 4x1: 5x4 inputs and 52 parameter entries
        MultiLayerNetwork net = network(head().parameterList());
        checkAlone(net, input(5, 4, 5), 20 + 52);
        checkInNetwork(net);
    }

    @Test
    void parameterDictGivesTheUnchosenEntriesZeroGradient() {
        MultiLayerNetwork net = network(head().parameterDict("linear3"));
        checkAlone(net, input(5, 4, 6), 20 + 28);
        checkInNetwork(net);
        // in the flat gradient of the whole model: the unchosen entries' segments are zero
        Replica replica = new Replica(head().parameterDict("linear3").linear(3).dtype("float64").seed(11).build());
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 5, 3);
        y.getColumn(1).assign(1);
        INDArray flat = replica.gradientSum(new org.nd4j.linalg.dataset.DataSet(input(5, 6, 7), y)).gradient();
        Map<String, INDArray> grads = new java.util.HashMap<>();
        for (ParamLayout.Segment s : replica.layout().segments()) {
            grads.put(s.name().substring(s.name().indexOf('.') + 1),
                    flat.get(NDArrayIndex.interval(s.offset(), s.offset() + s.length())));
        }
        assertEquals(0, grads.get("params.linear1").amaxNumber().doubleValue());
        assertEquals(0, grads.get("params.linear2").amaxNumber().doubleValue());
        assertTrue(grads.get("params.linear3").amaxNumber().doubleValue() > 0);
    }
}
