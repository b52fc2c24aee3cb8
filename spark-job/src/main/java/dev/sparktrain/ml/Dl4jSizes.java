package dev.sparktrain.ml;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

/**
 * The inputs and outputs a DL4J configuration declares, read before training so that a model that
 * does not fit the data stops the fit with a message naming both sizes; -1 where the configuration
 * does not say (a graph's inputs, layers sized by their input type only).
 */
record Dl4jSizes(long inputs, long outputs) {

    static Dl4jSizes of(String json) {
        if (json.contains("\"vertices\"")) {
            ComputationGraphConfiguration g = ComputationGraphConfiguration.fromJson(json);
            GraphVertex out = g.getVertices().get(g.getNetworkOutputs().get(0));
            return new Dl4jSizes(-1, out instanceof LayerVertex v ? nOut(v.getLayerConf().getLayer()) : -1);
        }
        MultiLayerConfiguration c = MultiLayerConfiguration.fromJson(json);
        InputPreProcessor pre = c.getInputPreProcess(0);
        Layer first = c.getConf(0).getLayer();
        long inputs = -1;
        if (pre instanceof FeedForwardToCnnPreProcessor f) {
            inputs = f.getInputHeight() * f.getInputWidth() * f.getNumChannels();
        } else if (pre == null && (first instanceof DenseLayer || first instanceof BaseOutputLayer)) {
            inputs = ((FeedForwardLayer) first).getNIn();
        }
        return new Dl4jSizes(inputs > 0 ? inputs : -1, nOut(c.getConf(c.getConfs().size() - 1).getLayer()));
    }

    private static long nOut(Layer layer) {
        return layer instanceof FeedForwardLayer f && f.getNOut() > 0 ? f.getNOut() : -1;
    }
}
