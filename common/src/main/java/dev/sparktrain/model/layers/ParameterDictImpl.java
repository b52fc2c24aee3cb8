package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward and backward pass of {@link ParameterDictLayer}: y = x W_choice; dL/dW_choice = x^T g,
 * dL/dx = g W_choice^T, and zero for every other entry.
 */
public class ParameterDictImpl extends BaseLayer<ParameterDictLayer> {
    private String choice;

    public ParameterDictImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The entry applied now: the configured choice unless {@link #choose} changed it. */
    public String choice() {
        return choice == null ? layerConf().getChoice() : choice;
    }

    /**
     * Applies entry {@code name} from the next forward pass on (like {@code forward(x, choice=name)}).
     * Its columns must equal the configured choice's, as the layers after this one take that many
     * features.
     */
    public void choose(String name) {
        ParameterDictLayer c = layerConf();
        long cols = c.getShapes()[c.indexOf(name)][1];
        if (cols != c.getNOut()) {
            throw new IllegalArgumentException("layer " + c.getLayerName() + ": entry " + name + " gives " + cols
                    + " outputs, but the layer was built for " + c.getNOut() + " (choice " + c.getChoice()
                    + ") and the layers after it take that many; choose an entry with " + c.getNOut() + " columns");
        }
        this.choice = name;
    }

    /** {@link #choose} on layer {@code layerName} of {@code net}. */
    public static void choose(MultiLayerNetwork net, String layerName, String name) {
        if (!(net.getLayer(layerName) instanceof ParameterDictImpl dict)) {
            throw new IllegalArgumentException("layer " + layerName + " is not a parameter_dict layer");
        }
        dict.choose(name);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray w = chosen();
        InputChecks.matrix(input, w.rows(), layerConf(), "params." + choice());
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input.mmul(w));
    }

    private INDArray chosen() {
        return getParam("params." + choice());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        String key = "params." + choice();
        Gradient gradient = new DefaultGradient();
        for (String k : layerConf().paramKeys()) {
            INDArray view = gradientViews.get(k);
            if (k.equals(key)) {
                view.assign(input.transpose().mmul(epsilon));
            } else {
                view.assign(0);
            }
            gradient.gradientForVariable().put(k, view);
        }
        INDArray dx = workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon.mmul(chosen().transpose()));
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
