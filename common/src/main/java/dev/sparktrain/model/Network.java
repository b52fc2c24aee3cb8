package dev.sparktrain.model;

import dev.sparktrain.eval.Evaluator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The DL4J network behind a {@link Replica}: a {@link MultiLayerNetwork} (sequential models) or a
 * {@link ComputationGraph} (skip connections, several inputs), seen through the few operations the
 * engine needs. Inputs and labels are arrays, one per network input / output; a MultiLayerNetwork has
 * exactly one of each.
 */
sealed interface Network permits Network.Layers, Network.Graph {

    /** The network for a spec: the graph zoo's types as ComputationGraphs, the others as MultiLayerNetworks. */
    static Network build(ModelSpec spec) {
        if (spec.dl4j() != null) {
            return Dl4jModels.build(spec.dl4j());
        }
        if (GraphZoo.isGraph(spec.type())) {
            return new Graph(GraphZoo.build(spec));
        }
        return new Layers(ModelFactory.build(spec));
    }

    /** The live flat parameter vector ({@code [n]}). */
    INDArray params();

    /** The layers holding parameters, as DL4J lists them. */
    Layer[] layers();

    /**
     * Forward and backward pass in training mode; returns DL4J's score (the minibatch-mean loss) and
     * leaves the flat gradient (the sum over examples) in {@link #gradient()}.
     */
    double computeGradientAndScore(INDArray[] features, INDArray[] labels);

    INDArray gradient();

    /** The first output, forward only in eval mode (dropout off, batch norm on running statistics). */
    INDArray output(INDArray[] features);

    /** DL4J's score in eval mode: the minibatch-mean loss. */
    double score(MultiDataSet batch);

    /** The (first) output layer. */
    Layer outputLayer();

    /** Whether the output is DL4J's built-in softmax + cross-entropy (so the loss can be read off the output). */
    default boolean softmaxCrossEntropy() {
        return outputLayer().conf().getLayer() instanceof BaseOutputLayer o && o.getLossFn() instanceof LossMCXENT
                && o.getActivationFn() instanceof ActivationSoftmax;
    }

    /** How the output layer's loss reads its {@code outputs} outputs (see {@link Evaluator}). */
    default Evaluator evaluator(int outputs) {
        return Evaluator.forOutputLayer(outputLayer().conf().getLayer(), outputs);
    }

    /** Drops activations and gradients kept from the last pass. */
    void clear();

    void write(OutputStream out) throws IOException;

    private static void requireOne(INDArray[] arrays, String what) {
        if (arrays.length != 1) {
            throw new IllegalArgumentException("a sequential network takes one " + what + " array, found "
                    + arrays.length);
        }
    }

    /** A MultiLayerNetwork. */
    record Layers(MultiLayerNetwork net) implements Network {
        @Override
        public INDArray params() {
            return net.params();
        }

        @Override
        public Layer[] layers() {
            return net.getLayers();
        }

        @Override
        public double computeGradientAndScore(INDArray[] features, INDArray[] labels) {
            requireOne(features, "input");
            requireOne(labels, "label");
            net.setInput(features[0]);
            net.setLabels(labels[0]);
            net.computeGradientAndScore();
            return net.score();
        }

        @Override
        public INDArray gradient() {
            return net.getFlattenedGradients();
        }

        @Override
        public INDArray output(INDArray[] features) {
            requireOne(features, "input");
            return net.output(features[0], false);
        }

        @Override
        public double score(MultiDataSet batch) {
            requireOne(batch.getFeatures(), "input");
            return net.score(new org.nd4j.linalg.dataset.DataSet(batch.getFeatures(0), batch.getLabels(0)), false);
        }

        @Override
        public Layer outputLayer() {
            return net.getOutputLayer();
        }

        @Override
        public void clear() {
            net.clear();
        }

        @Override
        public void write(OutputStream out) throws IOException {
            ModelSerializer.writeModel(net, out, false);
        }
    }

    /**
     * A ComputationGraph, with the input types it was built for (DL4J's configuration does not keep
     * them, and the summary needs them) and a title for printing.
     */
    record Graph(ComputationGraph graph, List<InputType> inputTypes, String title) implements Network {
        Graph(GraphModel model) {
            this(init(model), model.inputTypes(), model.title());
        }

        private static ComputationGraph init(GraphModel model) {
            ComputationGraph g = new ComputationGraph(model.configuration());
            g.init();
            return g;
        }

        @Override
        public INDArray params() {
            return graph.params();
        }

        @Override
        public Layer[] layers() {
            return graph.getLayers();
        }

        @Override
        public double computeGradientAndScore(INDArray[] features, INDArray[] labels) {
            if (features.length != graph.getNumInputArrays()) {
                throw new IllegalArgumentException("the graph has " + graph.getNumInputArrays() + " inputs "
                        + graph.getConfiguration().getNetworkInputs() + ", found " + features.length + " feature arrays");
            }
            graph.setInputs(features);
            graph.setLabels(labels);
            graph.computeGradientAndScore();
            return graph.score();
        }

        @Override
        public INDArray gradient() {
            return graph.getFlattenedGradients();
        }

        @Override
        public INDArray output(INDArray[] features) {
            return graph.output(false, features)[0];
        }

        @Override
        public double score(MultiDataSet batch) {
            return graph.score(batch, false);
        }

        @Override
        public Layer outputLayer() {
            return graph.getOutputLayer(0);
        }

        @Override
        public void clear() {
            graph.clear();
        }

        @Override
        public void write(OutputStream out) throws IOException {
            ModelSerializer.writeModel(graph, out, false);
        }
    }
}
