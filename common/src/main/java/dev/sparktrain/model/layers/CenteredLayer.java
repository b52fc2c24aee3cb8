package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * PyTorch's tutorial {@code CenteredLayer}: {@code x - x.mean()}, the mean over ALL elements of the
 * input tensor (the whole minibatch, so an example's output depends on the others in its batch, as in
 * PyTorch; in a distributed run "the minibatch" is each worker's share, so synchronous training matches
 * the single-process trainer only with {@code perExample}). With {@code perExample} the mean is taken over each example's own elements instead
 * ({@code x - x.mean(dim=(1, ...), keepdim=True)}), which does not mix examples. No parameters; the
 * output has the input's shape.
 */
public class CenteredLayer extends NoParamLayer implements ModuleRepr {
    private boolean perExample;
    private boolean flatInput;

    /** For JSON deserialization. */
    public CenteredLayer() {
    }

    public CenteredLayer(String name, boolean perExample) {
        this(name, perExample, false);
    }

    /**
     * With {@code flatInput}, image-shaped activations are flattened to [N, features] first (the model
     * builder sets it when the layer follows {@code flatten}, which is no DL4J layer of its own), so
     * shapes read as in PyTorch; the values are the same either way.
     */
    public CenteredLayer(String name, boolean perExample, boolean flatInput) {
        setLayerName(name);
        this.perExample = perExample;
        this.flatInput = flatInput;
    }

    public boolean isFlatInput() {
        return flatInput;
    }

    public void setFlatInput(boolean flatInput) {
        this.flatInput = flatInput;
    }

    public boolean isPerExample() {
        return perExample;
    }

    public void setPerExample(boolean perExample) {
        this.perExample = perExample;
    }

    @Override
    public String repr() {
        return perExample ? "CenteredLayer(per_example=True)" : "CenteredLayer()";
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return LayerWiring.wire(new CenteredImpl(conf, dataType), conf, listeners, index, paramsView, initializeParams,
                initializer());
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return flatInput && inputType.getType() != InputType.Type.FF
                ? InputType.feedForward(inputType.arrayElementsPerExample()) : inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (flatInput && inputType instanceof InputType.InputTypeConvolutional c) {
            return new CnnToFeedForwardPreProcessor(c.getHeight(), c.getWidth(), c.getChannels());
        }
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return LayerWiring.memoryReport(this, 0, inputType, inputType);
    }

    @Override
    public String toString() {
        return "CenteredLayer(" + getLayerName() + ", " + repr() + ")";
    }
}
