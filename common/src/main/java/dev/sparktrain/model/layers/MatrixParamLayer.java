package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;

import java.util.Locale;

/**
 * The config side shared by the layers holding named matrices (parameter list, parameter dict):
 * their initializer, a fixed input width and the memory report.
 */
abstract class MatrixParamLayer extends FeedForwardLayer implements MatrixParams, ModuleRepr {

    @Override
    public ParamInitializer initializer() {
        return MatrixParamInitializer.INSTANCE;
    }

    /** The input width is fixed by the matrices' rows: the model builder checks it, and DL4J must not reset it. */
    @Override
    public void setNIn(InputType inputType, boolean override) {
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return LayerWiring.memoryReport(this, initializer().numParams(this), inputType, getOutputType(-1, inputType));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(%s, %s)", getClass().getSimpleName(), getLayerName(), repr());
    }
}
