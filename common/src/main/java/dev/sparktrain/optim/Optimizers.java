package dev.sparktrain.optim;

import dev.sparktrain.config.OptimizerConfig;

/** Static factories: {@code Optimizers.create(config, n)}. */
public final class Optimizers {
    private Optimizers() {
    }

    /** A fresh optimizer for a parameter vector of {@code numParams} elements. */
    public static Optimizer create(OptimizerConfig config, long numParams) {
        return switch (config.type()) {
            case "sgd" -> new Sgd(config, numParams);
            case "adam" -> new Adam(config, numParams);
            default -> throw new IllegalArgumentException("unknown optimizer type '" + config.type() + "'");
        };
    }
}
