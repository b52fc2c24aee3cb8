package dev.sparktrain.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;

/**
 * Examples to one DL4J {@code DataSet} (PyTorch's collate_fn): features {@code [n, c*h*w]}; labels
 * one-hot {@code [n, classes]} or index {@code [n, 1]} for class labels, {@code [n, t]} for target values.
 */
public record Collate(LabelMode labels, int classes) implements Serializable {

    public DataSet apply(Example[] examples, DataType dtype) {
        if (examples.length == 0) {
            throw new DataException("cannot collate an empty minibatch");
        }
        int dim = examples[0].features().length;
        int width = labelWidth(examples[0]);
        float[] f = new float[examples.length * dim];
        float[] y = new float[examples.length * width];
        for (int b = 0; b < examples.length; b++) {
            Example e = examples[b];
            if (e.features().length != dim) {
                throw new DataException("example " + e.id() + " has " + e.features().length
                        + " feature values, the minibatch's first has " + dim);
            }
            System.arraycopy(e.features(), 0, f, b * dim, dim);
            if (e.target() != null) {
                if (e.target().length != width) {
                    throw new DataException("example " + e.id() + " has " + e.target().length + " target values, "
                            + "expected " + width);
                }
                System.arraycopy(e.target(), 0, y, b * width, width);
            } else {
                if (e.label() >= classes) {
                    throw new DataException("example " + e.id() + ": label " + e.label() + " is outside [0, "
                            + classes + ") (data.classes = " + classes + ")");
                }
                if (labels == LabelMode.ONE_HOT) {
                    y[b * width + e.label()] = 1f;
                } else {
                    y[b] = e.label();
                }
            }
        }
        return dataSet(f, y, examples.length, dim, width, dtype);
    }

    /** Row-major features [n, dim] and labels [n, width] as a DataSet in {@code dtype}. */
    static DataSet dataSet(float[] features, float[] labels, int n, int dim, int width, DataType dtype) {
        INDArray x = Nd4j.create(features, new long[]{n, dim}, 'c');
        INDArray t = Nd4j.create(labels, new long[]{n, width}, 'c');
        if (dtype != DataType.FLOAT) {
            x = x.castTo(dtype);
            t = t.castTo(dtype);
        }
        return new DataSet(x, t);
    }

    private int labelWidth(Example first) {
        if (first.target() != null) {
            return first.target().length;
        }
        return labels == LabelMode.ONE_HOT ? classes : 1;
    }
}
