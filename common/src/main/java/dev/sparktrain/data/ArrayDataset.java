package dev.sparktrain.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;

/**
 * An in-memory {@link Dataset} of fixed-size examples, with the source index of each example kept for
 * ordering, seeding and tests. Features are stored flat, row-major, channels x height x width per
 * example; targets are class labels, or {@code targetSize} values per example (regression, BCE).
 */
public final class ArrayDataset implements Dataset {
    private static final long serialVersionUID = 2L;

    private final float[] features;
    private final int[] labels;
    private final float[] targets;
    private final int targetSize;
    private final int[] globalIds;
    private final int channels;
    private final int height;
    private final int width;

    /** Class-labelled examples. */
    public ArrayDataset(float[] features, int[] labels, int[] globalIds, int channels, int height, int width) {
        this(features, labels, null, 0, globalIds, channels, height, width);
    }

    /** Examples with {@code targetSize} target values each ({@code labels} unused, may be null). */
    public static ArrayDataset valued(float[] features, float[] targets, int targetSize, int[] globalIds,
                                      int channels, int height, int width) {
        return new ArrayDataset(features, null, targets, targetSize, globalIds, channels, height, width);
    }

    private ArrayDataset(float[] features, int[] labels, float[] targets, int targetSize, int[] globalIds,
                         int channels, int height, int width) {
        int dim = channels * height * width;
        int n = globalIds.length;
        boolean labelsOk = targets == null ? labels != null && labels.length == n
                : targetSize > 0 && (long) n * targetSize == targets.length;
        if (!labelsOk || (long) n * dim != features.length) {
            throw new DataException("inconsistent dataset: " + n + " ids, "
                    + (targets == null ? (labels == null ? 0 : labels.length) + " labels, "
                    : targets.length + " target values, ") + features.length + " feature values for examples of " + dim);
        }
        this.features = features;
        this.labels = labels;
        this.targets = targets;
        this.targetSize = targetSize;
        this.globalIds = globalIds;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    @Override
    public int size() {
        return globalIds.length;
    }

    @Override
    public int[] shape() {
        return new int[]{channels, height, width};
    }

    @Override
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

    /** The class label of example {@code i}; -1 for examples with target values. */
    public int label(int i) {
        return labels == null ? -1 : labels[i];
    }

    public int globalId(int i) {
        return globalIds[i];
    }

    @Override
    public Example get(int i) {
        int dim = featureSize();
        float[] f = Arrays.copyOfRange(features, i * dim, (i + 1) * dim);
        if (targets != null) {
            return Example.valued(f, Arrays.copyOfRange(targets, i * targetSize, (i + 1) * targetSize), globalIds[i]);
        }
        return Example.classified(f, labels[i], globalIds[i]);
    }

    /**
     * Class labels collate one-hot here with one copy per example (the generic path copies twice):
     * the hot path of in-memory training. Same result as {@link Collate} with {@link LabelMode#ONE_HOT}.
     */
    @Override
    public DataSet batch(int[] idx, int classes, DataType dtype) {
        if (targets != null) {
            return Dataset.super.batch(idx, classes, dtype);
        }
        int dim = featureSize();
        float[] f = new float[idx.length * dim];
        float[] y = new float[idx.length * classes];
        for (int b = 0; b < idx.length; b++) {
            int label = labels[idx[b]];
            if (label >= classes) {
                throw new DataException("example " + globalIds[idx[b]] + ": label " + label + " is outside [0, "
                        + classes + ") (data.classes = " + classes + ")");
            }
            System.arraycopy(features, idx[b] * dim, f, b * dim, dim);
            y[b * classes + label] = 1f;
        }
        return Collate.dataSet(f, y, idx.length, dim, classes, dtype);
    }

    /** A compact copy holding the examples at {@code idx}, in that order. */
    @Override
    public ArrayDataset select(int[] idx) {
        int dim = featureSize();
        float[] f = new float[idx.length * dim];
        int[] ids = new int[idx.length];
        int[] l = labels == null ? null : new int[idx.length];
        float[] t = targets == null ? null : new float[idx.length * targetSize];
        for (int j = 0; j < idx.length; j++) {
            int i = idx[j];
            System.arraycopy(features, i * dim, f, j * dim, dim);
            ids[j] = globalIds[i];
            if (l != null) {
                l[j] = labels[i];
            }
            if (t != null) {
                System.arraycopy(targets, i * targetSize, t, j * targetSize, targetSize);
            }
        }
        return new ArrayDataset(f, l, t, targetSize, ids, channels, height, width);
    }

    /** The first {@code n} examples (or all). */
    public ArrayDataset head(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        return select(idx);
    }
}
