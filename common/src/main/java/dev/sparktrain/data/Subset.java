package dev.sparktrain.data;

/** The examples of a base dataset at given indices, in that order (PyTorch's Subset); a view. */
public final class Subset implements Dataset {
    private static final long serialVersionUID = 1L;
    private final Dataset base;
    private final int[] indices;

    public Subset(Dataset base, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= base.size()) {
                throw new IllegalArgumentException("subset index " + i + " outside [0, " + base.size() + ")");
            }
        }
        this.base = base;
        this.indices = indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int i) {
        return base.get(indices[i]);
    }

    @Override
    public long id(int i) {
        return base.id(indices[i]);
    }

    @Override
    public int[] shape() {
        return base.shape();
    }

    @Override
    public Dataset forEpoch(int epoch) {
        Dataset b = base.forEpoch(epoch);
        return b == base ? this : new Subset(b, indices);
    }

    @Override
    public Collate collate(int classes) {
        return base.collate(classes);
    }
}
