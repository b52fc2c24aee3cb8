package dev.sparktrain.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.io.Serializable;

/**
 * PyTorch's map-style Dataset: a size and the example at an index, held in memory or read on
 * demand. The order in which examples are visited is the {@link BatchPlan}'s business, turning
 * examples into a DL4J {@code DataSet} the {@link Collate}'s. A Spark shard is one Dataset.
 */
public interface Dataset extends Serializable {

    int size();

    /** The example at local index {@code i} in [0, size()). */
    Example get(int i);

    /** The stable id of example {@code i} ({@link RowIds}); datasets that hold ids answer without decoding. */
    default long id(int i) {
        return get(i).id();
    }

    /** {channels, height, width} of every example's features. */
    int[] shape();

    /** Features per example. */
    default int featureSize() {
        int[] s = shape();
        return s[0] * s[1] * s[2];
    }

    /**
     * This dataset as seen in {@code epoch}: the same unless random transforms are attached, whose
     * draws depend on (seed, epoch, example id).
     */
    default Dataset forEpoch(int epoch) {
        return this;
    }

    /** The examples at {@code idx}, in that order, as a new dataset (PyTorch's Subset). */
    default Dataset select(int[] idx) {
        return new Subset(this, idx);
    }

    /** How this dataset collates by default: one-hot class labels, or the target values. */
    default Collate collate(int classes) {
        return new Collate(LabelMode.ONE_HOT, classes);
    }

    /** The examples at local indices {@code idx} collated into one minibatch. */
    default DataSet batch(int[] idx, int classes, DataType dtype) {
        Example[] ex = new Example[idx.length];
        for (int b = 0; b < idx.length; b++) {
            ex[b] = get(idx[b]);
        }
        return collate(classes).apply(ex, dtype);
    }
}
