package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward and backward pass of {@link CenteredLayer}. Centering is linear and its Jacobian
 * I - 11^T/n is symmetric, so the backward pass centers the incoming gradient the same way:
 * dL/dx = g - mean(g) (over all elements, or per example).
 */
public class CenteredImpl extends AbstractLayer<CenteredLayer> {

    public CenteredImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        return out.assign(center(input));
    }

    private INDArray center(INDArray a) {
        if (!layerConf().isPerExample()) {
            return a.sub(a.meanNumber());
        }
        INDArray rows = a.dup('c').reshape('c', a.size(0), a.length() / a.size(0));
        return rows.subColumnVector(rows.mean(true, 1)).reshape('c', a.shape());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                epsilon.shape(), 'c');
        dx.assign(center(epsilon));
        return new Pair<>(new DefaultGradient(), backpropDropOutIfPresent(dx));
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;
    }
}
