package dev.sparktrain.config;

import java.util.Set;

/**
 * Optimizer hyper-parameters with PyTorch's names and meanings. Checks follow
 * {@code torch.optim}: e.g. "Invalid learning rate: -0.1".
 */
public record OptimizerConfig(String type, double lr, double weightDecay, double momentum, double dampening,
                              boolean nesterov, double beta1, double beta2, double eps)
        implements java.io.Serializable {
    public static final Set<String> TYPES = Set.of("sgd", "adam");

    public OptimizerConfig {
        if (!TYPES.contains(type)) {
            throw ConfigException.badValue("optimizer.type", "one of " + TYPES, "'" + type + "'");
        }
        check(lr >= 0 && Double.isFinite(lr), "optimizer.lr", "Invalid learning rate: " + lr);
        check(weightDecay >= 0, "optimizer.weight-decay", "Invalid weight_decay value: " + weightDecay);
        check(momentum >= 0, "optimizer.momentum", "Invalid momentum value: " + momentum);
        check(eps >= 0, "optimizer.eps", "Invalid epsilon value: " + eps);
        check(beta1 >= 0 && beta1 < 1, "optimizer.betas", "Invalid beta parameter at index 0: " + beta1);
        check(beta2 >= 0 && beta2 < 1, "optimizer.betas", "Invalid beta parameter at index 1: " + beta2);
        check(!nesterov || (momentum > 0 && dampening == 0), "optimizer.nesterov",
                "Nesterov momentum requires a momentum and zero dampening (momentum=" + momentum
                        + ", dampening=" + dampening + ")");
    }

    public static OptimizerConfig sgd(double lr, double momentum, boolean nesterov, double weightDecay) {
        return new OptimizerConfig("sgd", lr, weightDecay, momentum, 0, nesterov, 0.9, 0.999, 1e-8);
    }

    public static OptimizerConfig adam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        return new OptimizerConfig("adam", lr, weightDecay, 0, 0, false, beta1, beta2, eps);
    }

    static OptimizerConfig read(ConfigReader r) {
        double[] betas = r.numbers("optimizer.betas", 2);
        return new OptimizerConfig(r.choice("optimizer.type", TYPES),
                r.number("optimizer.lr", Double.NEGATIVE_INFINITY, Double.MAX_VALUE, false),
                r.number("optimizer.weight-decay", Double.NEGATIVE_INFINITY, Double.MAX_VALUE, false),
                r.number("optimizer.momentum", Double.NEGATIVE_INFINITY, Double.MAX_VALUE, false),
                r.number("optimizer.dampening", Double.NEGATIVE_INFINITY, Double.MAX_VALUE, false),
                r.bool("optimizer.nesterov"), betas[0], betas[1],
                r.number("optimizer.eps", Double.NEGATIVE_INFINITY, Double.MAX_VALUE, false));
    }

    private static void check(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(message + " (conf key " + key + ")");
        }
    }
}
