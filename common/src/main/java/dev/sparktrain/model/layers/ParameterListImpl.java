package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The forward and backward pass of {@link ParameterListLayer}: h_0 = x, h_i+1 = h_i W_i; backward
 * with g = dL/dh_k: dL/dW_i = h_i^T g_i+1 and g_i = g_i+1 W_i^T, so dL/dx = g_0 (summed over the
 * minibatch, as DL4J's layers do).
 */
public class ParameterListImpl extends BaseLayer<ParameterListLayer> {

    public ParameterListImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        List<INDArray> h = forward();
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, h.get(h.size() - 1));
    }

    /** h_0 ... h_k. */
    private List<INDArray> forward() {
        List<String> keys = layerConf().paramKeys();
        InputChecks.matrix(input, getParam(keys.get(0)).rows(), layerConf(), "params.0");
        List<INDArray> h = new ArrayList<>(keys.size() + 1);
        h.add(input);
        for (String key : keys) {
            h.add(h.get(h.size() - 1).mmul(getParam(key)));
        }
        return h;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        List<String> keys = layerConf().paramKeys();
        List<INDArray> h = forward();
        Gradient gradient = new DefaultGradient();
        INDArray g = epsilon;
        for (int i = keys.size() - 1; i >= 0; i--) {
            INDArray view = gradientViews.get(keys.get(i));
            view.assign(h.get(i).transpose().mmul(g));
            g = g.mmul(getParam(keys.get(i)).transpose());
        }
        for (String key : keys) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        INDArray dx = workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, g);
        return new Pair<>(gradient, backpropDropOutIfPresent(dx));
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return false;
    }
}
