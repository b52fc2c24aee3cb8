package dev.sparktrain.data;

/**
 * One example as a Dataset's {@code get(i)} returns it: flat features (channels x height x width,
 * row-major) and either a class index ({@code target == null}) or regression/BCE target values
 * ({@code label == -1}). {@code id} is the example's index in its source, the key of its randomness.
 */
public record Example(float[] features, int label, float[] target, int id) {

    public Example {
        if ((target == null) == (label < 0)) {
            throw new IllegalArgumentException("an example has a class label or target values, not both or "
                    + "neither (label " + label + ", target " + (target == null ? "none" : target.length + " values") + ")");
        }
    }

    public static Example classified(float[] features, int label, int id) {
        return new Example(features, label, null, id);
    }

    public static Example valued(float[] features, float[] target, int id) {
        return new Example(features, -1, target, id);
    }

    public Example withFeatures(float[] f) {
        return new Example(f, label, target, id);
    }
}
