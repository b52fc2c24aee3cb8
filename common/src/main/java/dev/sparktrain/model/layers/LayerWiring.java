package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/** What every custom layer config does the same way when DL4J instantiates it or asks its memory. */
final class LayerWiring {
    private LayerWiring() {
    }

    /** Attaches listeners, index, parameter views (initialized when asked) and the config to a new layer. */
    static <L extends Layer> L wire(L layer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                    int index, INDArray paramsView, boolean initializeParams,
                                    ParamInitializer initializer) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer.init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /** Parameters only: these layers keep no working or cache memory beyond their output. */
    static LayerMemoryReport memoryReport(org.deeplearning4j.nn.conf.layers.Layer layer, long params,
                                          InputType in, InputType out) {
        return new LayerMemoryReport.Builder(layer.getLayerName(), layer.getClass(), in, out)
                .standardMemory(params, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
