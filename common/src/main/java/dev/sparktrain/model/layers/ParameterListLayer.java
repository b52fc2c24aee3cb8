package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * PyTorch's {@code nn.ParameterList} layer: matrices W_0 ... W_k-1 applied in turn, {@code x = x.mm(W_i)},
 * to a [N, rows(W_0)] input, giving [N, cols(W_k-1)]. Parameters are named {@code params.0} ...
 * {@code params.<k-1>} (so {@code <layer>.params.0} in the model), initialized N(0, 1) like
 * {@code torch.randn} from the model seed. The default is the tutorial's 4x4, 4x4, 4x4, 4x1.
 */
public class ParameterListLayer extends MatrixParamLayer {
    /** The tutorial's matrices. */
    public static final long[][] DEFAULT_SHAPES = {{4, 4}, {4, 4}, {4, 4}, {4, 1}};

    private long[][] shapes;

    /** For JSON deserialization. */
    public ParameterListLayer() {
    }

    /** The layer named {@code name} with the given [rows, cols] shapes, each cols equal to the next rows. */
    public ParameterListLayer(String name, long[][] shapes) {
        setLayerName(name);
        setShapes(shapes);
        setActivationFn(Activation.IDENTITY.getActivationFunction());
    }

    public long[][] getShapes() {
        return shapes;
    }

    /** Checks the chain (each matrix's columns are the next one's rows) and sets nIn and nOut from it. */
    public void setShapes(long[][] shapes) {
        if (shapes == null || shapes.length == 0) {
            throw new IllegalArgumentException("a parameter list needs at least one matrix, found none");
        }
        for (int i = 0; i < shapes.length; i++) {
            if (shapes[i].length != 2 || shapes[i][0] < 1 || shapes[i][1] < 1) {
                throw new IllegalArgumentException("params." + i + " must be [rows, cols] of positive sizes, found "
                        + Arrays.toString(shapes[i]));
            }
            if (i > 0 && shapes[i][0] != shapes[i - 1][1]) {
                throw new IllegalArgumentException("params." + i + " " + Arrays.toString(shapes[i]) + " cannot follow "
                        + "params." + (i - 1) + " " + Arrays.toString(shapes[i - 1]) + ": its rows must be "
                        + shapes[i - 1][1]);
            }
        }
        this.shapes = Arrays.stream(shapes).map(long[]::clone).toArray(long[][]::new);
        setNIn(shapes[0][0]);
        setNOut(shapes[shapes.length - 1][1]);
    }

    @Override
    public List<String> paramKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            keys.add("params." + i);
        }
        return keys;
    }

    @Override
    public long[] paramShape(int i) {
        return shapes[i];
    }

    @Override
    public String repr() {
        return "ParameterList(" + Arrays.stream(shapes).map(s -> s[0] + "x" + s[1])
                .collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return LayerWiring.wire(new ParameterListImpl(conf, dataType), conf, listeners, index, paramsView, initializeParams,
                initializer());
    }
}
