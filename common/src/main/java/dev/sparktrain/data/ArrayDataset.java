package dev.sparktrain.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;

/**
 * An in-memory dataset of fixed-size examples (PyTorch's map-style Dataset): {@code size()} and
 * examples by index, with the global index of each example kept for ordering and tests.
 * Features are stored flat, row-major, channels x height x width per example.
 */
public final class ArrayDataset implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] features;
    private final int[] labels;
    private final int[] globalIds;
    private final int channels;
    private final int height;
    private final int width;

    public ArrayDataset(float[] features, int[] labels, int[] globalIds, int channels, int height, int width) {
        int dim = channels * height * width;
        if (labels.length != globalIds.length || (long) labels.length * dim != features.length) {
            throw new DataException("inconsistent dataset: " + labels.length + " labels, " + globalIds.length
                    + " ids, " + features.length + " feature values for examples of " + dim);
        }
        this.features = features;
        this.labels = labels;
        this.globalIds = globalIds;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    public int size() {
        return labels.length;
    }

    public int featureSize() {
        return channels * height * width;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int label(int i) {
        return labels[i];
    }

    public int globalId(int i) {
        return globalIds[i];
    }

    /** Collates the examples at local indices {@code idx} into a DataSet: flat features, one-hot labels. */
    public DataSet batch(int[] idx, int classes, DataType dtype) {
        int dim = featureSize();
        float[] f = new float[idx.length * dim];
        float[] y = new float[idx.length * classes];
        for (int b = 0; b < idx.length; b++) {
            System.arraycopy(features, idx[b] * dim, f, b * dim, dim);
            y[b * classes + labels[idx[b]]] = 1f;
        }
        INDArray x = Nd4j.create(f, new long[]{idx.length, dim}, 'c');
        INDArray t = Nd4j.create(y, new long[]{idx.length, classes}, 'c');
        if (dtype != DataType.FLOAT) {
            x = x.castTo(dtype);
            t = t.castTo(dtype);
        }
        return new DataSet(x, t);
    }

    /** The first {@code n} examples (or all). */
    public ArrayDataset head(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        float[] f = java.util.Arrays.copyOf(features, n * featureSize());
        return new ArrayDataset(f, java.util.Arrays.copyOf(labels, n), java.util.Arrays.copyOf(globalIds, n),
                channels, height, width);
    }
}
