package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Lays the matrices of a {@link MatrixParams} layer one after another in the flat parameter vector,
 * each row-major (as PyTorch stores them), and initializes them like {@code torch.randn}: every entry
 * N(0, 1), drawn from a generator seeded by the model seed and the layer name, so the same model seed
 * gives the same matrices wherever the network is built.
 */
final class MatrixParamInitializer implements ParamInitializer {
    static final MatrixParamInitializer INSTANCE = new MatrixParamInitializer();

    private MatrixParamInitializer() {
    }

    private static MatrixParams matrices(Layer layer) {
        return (MatrixParams) layer;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        MatrixParams m = matrices(layer);
        long n = 0;
        for (int i = 0; i < m.paramKeys().size(); i++) {
            long[] s = m.paramShape(i);
            n += s[0] * s[1];
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return matrices(layer).paramKeys();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return matrices(layer).paramKeys();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return matrices(layer).paramKeys().contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = views(conf.getLayer(), paramsView);
        views.keySet().forEach(conf::addVariable); // as DL4J's initializers do: BaseLayer.setParams reads them
        if (initializeParams) {
            Random rng = new Random(conf.getSeed() * 31 + String.valueOf(conf.getLayer().getLayerName()).hashCode());
            for (INDArray v : views.values()) {
                double[] values = new double[(int) v.length()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rng.nextGaussian();
                }
                v.assign(Nd4j.createFromArray(values).castTo(v.dataType()).reshape('c', v.shape()));
            }
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf.getLayer(), gradientView);
    }

    /** Row-major [rows, cols] views of consecutive slices of {@code flat}. */
    private Map<String, INDArray> views(Layer layer, INDArray flat) {
        MatrixParams m = matrices(layer);
        if (flat.length() != numParams(layer)) {
            throw new IllegalStateException("layer " + layer.getLayerName() + " has " + numParams(layer)
                    + " parameters, its view of the flat vector has " + flat.length());
        }
        INDArray line = flat.reshape(flat.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        long offset = 0;
        for (int i = 0; i < m.paramKeys().size(); i++) {
            long[] s = m.paramShape(i);
            INDArray slice = line.get(NDArrayIndex.interval(offset, offset + s[0] * s[1]));
            out.put(m.paramKeys().get(i), slice.reshape('c', s[0], s[1]));
            offset += s[0] * s[1];
        }
        return out;
    }
}
