package dev.sparktrain.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The zoo from Java, the same models as {@code model.type = lenet | mlp}: each factory returns the
 * {@link ModelSpec} the job config would give (seed {@link Sequential#DEFAULT_SEED}, float32; see {@link ModelSpec#withSeed} and
 * {@link ModelSpec#withDtype}).
 */
public final class Zoo {
    private Zoo() {
    }

    /** PyTorch tutorial's LeNet: conv 6@5x5, maxpool 2, conv 16@5x5, maxpool 2, 120, 84, classes. */
    public static ModelSpec lenet(int channels, int height, int width, int classes) {
        return new ModelSpec("lenet", List.of(), "float32", channels, height, width, classes, Sequential.DEFAULT_SEED);
    }

    /**
     * An MLP with ReLU between layers over flat inputs: {@code mlp(784, 256, 128, 10)} takes 784
     * features through hidden widths 256 and 128 to 10 classes.
     */
    public static ModelSpec mlp(int... widths) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("mlp needs at least the input width and the classes, found "
                    + java.util.Arrays.toString(widths));
        }
        if (java.util.Arrays.stream(widths).anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("mlp widths must be positive, found " + java.util.Arrays.toString(widths));
        }
        List<Integer> hidden = new ArrayList<>();
        for (int i = 1; i < widths.length - 1; i++) {
            hidden.add(widths[i]);
        }
        return new ModelSpec("mlp", hidden, "float32", 1, 1, widths[0], widths[widths.length - 1],
                Sequential.DEFAULT_SEED);
    }
}
