package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** The input check of the matrix layers at run time (the model builder checks shapes before that). */
final class InputChecks {
    private InputChecks() {
    }

    static void matrix(INDArray input, long rows, Layer conf, String param) {
        if (input.rank() != 2 || input.size(1) != rows) {
            throw new IllegalArgumentException("layer " + conf.getLayerName() + " (" + ((ModuleRepr) conf).repr()
                    + ") expects input [N, " + rows + "] (the rows of " + param + "), found "
                    + Arrays.toString(input.shape()));
        }
    }
}
