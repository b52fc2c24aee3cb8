package dev.sparktrain.model;

/**
 * The seed handed to DL4J for weight initialization. DL4J 1.0.0-M2.1 treats seed 0 as "not set"
 * and draws different weights at every build, so 0 (a seed PyTorch users often pick) is mapped to a
 * fixed other value; every other seed passes through unchanged.
 */
final class InitSeed {
    /** What seed 0 stands for. */
    static final long ZERO = 0x5EED_5EED_5EEDL;

    private InitSeed() {
    }

    static long of(long seed) {
        return seed == 0 ? ZERO : seed;
    }
}
