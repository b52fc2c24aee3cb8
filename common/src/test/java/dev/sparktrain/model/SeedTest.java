package dev.sparktrain.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The same seed gives the same initial weights, for every seed, 0 included (PyTorch users seed with 0). */
class SeedTest {
    private static ModelSpec spec(String type, long seed) {
        return new ModelSpec(type, List.of(), "float32", 1, 28, 28, 10, seed);
    }

    @Test
    void everySeedIncludingZeroBuildsTheSameWeightsTwice() {
        for (String type : List.of("lenet", "resnet")) {
            for (long seed : new long[]{0, 1, 42}) {
                assertEquals(new Replica(spec(type, seed)).params(), new Replica(spec(type, seed)).params(),
                        type + " seed " + seed);
            }
            assertNotEquals(new Replica(spec(type, 0)).params(), new Replica(spec(type, 1)).params(), type);
        }
    }
}
