package dev.sparktrain.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.eval.Evaluator;
import dev.sparktrain.model.NativeBackend;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A fitted DL4J network restored from its model.zip (a MultiLayerNetwork or a ComputationGraph, as
 * the zip's configuration says), for inference only: a minibatch of flat feature rows in, the first
 * output's rows out, in eval mode. Not thread-safe: one per thread ({@link #copy()}).
 */
final class LoadedNetwork {
    private static final String CONFIGURATION = "configuration.json";
    private final MultiLayerNetwork layers;
    private final ComputationGraph graph;

    private LoadedNetwork(MultiLayerNetwork layers, ComputationGraph graph) {
        this.layers = layers;
        this.graph = graph;
    }

    /** The network of a ModelSerializer zip. */
    static LoadedNetwork restore(byte[] zip) {
        NativeBackend.configure();
        try {
            return isGraph(zip)
                    ? new LoadedNetwork(null, ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false))
                    : new LoadedNetwork(ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false), null);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot restore the DL4J model.zip (" + zip.length + " bytes): "
                    + e.getMessage(), e);
        }
    }

    private static boolean isGraph(byte[] zip) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(CONFIGURATION)) {
                    return new ObjectMapper().readTree(in.readAllBytes()).has("vertices");
                }
            }
        }
        throw new IOException("no " + CONFIGURATION + " in it: not a DL4J ModelSerializer zip");
    }

    /** Another copy of the same parameters, for another thread. */
    LoadedNetwork copy() {
        return layers != null ? new LoadedNetwork(layers.clone(), null) : new LoadedNetwork(null, graph.clone());
    }

    /** The outputs of {@code rows} examples of {@code width} features ({@code x} row-major, at least rows * width long). */
    double[][] output(float[] x, int rows, int width) {
        float[] exact = x.length == rows * width ? x : java.util.Arrays.copyOf(x, rows * width);
        INDArray in = Nd4j.create(exact, new long[]{rows, width}, 'c');
        DataType dtype = layers != null ? layers.params().dataType() : graph.params().dataType();
        if (dtype != DataType.FLOAT) {
            in = in.castTo(dtype);
        }
        INDArray out = layers != null ? layers.output(in, false) : graph.output(false, in)[0];
        return out.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** How the (first) output layer's loss reads its {@code width} outputs. */
    Evaluator evaluator(int width) {
        return Evaluator.forOutputLayer(layers != null ? layers.getOutputLayer().conf().getLayer()
                : graph.getOutputLayer(0).conf().getLayer(), width);
    }
}
