package dev.sparktrain.data;

/**
 * One example as a Dataset's {@code get(i)} returns it: flat features (channels x height x width,
 * row-major) and either a class index ({@code target == null}) or regression/BCE target values
 * ({@code label == -1}). {@code id} is the example's stable id ({@link RowIds}): the key of its place in
 * the split and the shards, and of its random transforms.
 */
public record Example(float[] features, int label, float[] target, long id) implements Record {

    public Example {
        if ((target == null) == (label < 0)) {
            throw new IllegalArgumentException("an example has a class label or target values, not both or "
                    + "neither (label " + label + ", target " + (target == null ? "none" : target.length + " values") + ")");
        }
    }

    public static Example classified(float[] features, int label, long id) {
        return new Example(features, label, null, id);
    }

    public static Example valued(float[] features, float[] target, long id) {
        return new Example(features, -1, target, id);
    }

    /** A class-labelled example whose id is its content's ({@link RowIds#of(float[], int)}). */
    public static Example classified(float[] features, int label) {
        return new Example(features, label, null, RowIds.of(features, label));
    }

    /** An example with target values whose id is its content's ({@link RowIds#of(float[], float[])}). */
    public static Example valued(float[] features, float[] target) {
        return new Example(features, -1, target, RowIds.of(features, target));
    }

    /** Checks that this example has {@code shape}'s feature count and a class label (targetSize 0) or that many targets. */
    public void requireFits(int[] shape, int targetSize) {
        int dim = shape[0] * shape[1] * shape[2];
        if (features.length != dim) {
            throw new DataException("example " + id + " has " + features.length + " feature values, expected "
                    + shape[0] + "x" + shape[1] + "x" + shape[2] + " = " + dim);
        }
        if ((targetSize == 0) != (target == null) || (target != null && target.length != targetSize)) {
            throw new DataException("example " + id + ": expected " + (targetSize == 0 ? "a class label"
                    : targetSize + " target values") + ", found " + (target == null ? "a class label"
                    : target.length + " target values"));
        }
    }

    public Example withFeatures(float[] f) {
        return new Example(f, label, target, id);
    }
}
