package dev.sparktrain.data;

import java.util.Arrays;
import java.util.List;

/**
 * Datasets one after another (PyTorch's ConcatDataset): index {@code offset(k) + i} is example i of
 * part k. The single-process trainer sees its P shards this way.
 */
public final class ConcatDataset implements Dataset {
    private static final long serialVersionUID = 1L;
    private final Dataset[] parts;
    private final int[] offsets;

    public ConcatDataset(List<? extends Dataset> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a concatenation needs at least one dataset");
        }
        this.parts = parts.toArray(Dataset[]::new);
        this.offsets = new int[this.parts.length + 1];
        int[] shape = this.parts[0].shape();
        for (int k = 0; k < this.parts.length; k++) {
            if (!Arrays.equals(shape, this.parts[k].shape())) {
                throw new IllegalArgumentException("dataset " + k + " has examples of " + Arrays.toString(
                        this.parts[k].shape()) + ", the first " + Arrays.toString(shape));
            }
            long end = (long) offsets[k] + this.parts[k].size();
            if (end > Integer.MAX_VALUE) {
                throw new DataException("more than " + Integer.MAX_VALUE + " examples in one process: train on Spark");
            }
            offsets[k + 1] = (int) end;
        }
    }

    /** Index of example 0 of part {@code k}. */
    public int offset(int k) {
        return offsets[k];
    }

    @Override
    public int size() {
        return offsets[parts.length];
    }

    @Override
    public Example get(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("example " + i + " outside [0, " + size() + ")");
        }
        int k = Arrays.binarySearch(offsets, i);
        k = k >= 0 ? k : -k - 2;
        while (offsets[k + 1] == i) { // empty parts share an offset
            k++;
        }
        return parts[k].get(i - offsets[k]);
    }

    @Override
    public int[] shape() {
        return parts[0].shape();
    }

    @Override
    public Dataset forEpoch(int epoch) {
        Dataset[] e = new Dataset[parts.length];
        boolean same = true;
        for (int k = 0; k < parts.length; k++) {
            e[k] = parts[k].forEpoch(epoch);
            same &= e[k] == parts[k];
        }
        return same ? this : new ConcatDataset(List.of(e));
    }

    @Override
    public Collate collate(int classes) {
        return parts[0].collate(classes);
    }
}
