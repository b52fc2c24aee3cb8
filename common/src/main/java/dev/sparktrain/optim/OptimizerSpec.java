package dev.sparktrain.optim;

import java.io.Serializable;
import java.util.List;

/**
 * What optimizer to build: the algorithm, its defaults (torch.optim's {@code defaults}), the declared
 * param groups, frozen parameters (layers or globs: not trained), groups added at the start of a
 * later epoch ({@code add_param_group}, e.g. to unfreeze a layer), and gradient clipping.
 */
public record OptimizerSpec(String type, HyperParams defaults, List<GroupSpec> groups, List<String> frozen,
                            List<TimedGroup> addGroups, Clipping clipping) implements Serializable {

    /** A group added with add_param_group at the start of epoch {@code epoch} (1-based). */
    public record TimedGroup(int epoch, GroupSpec group) implements Serializable {
    }

    public OptimizerSpec {
        Algorithm algorithm = Algorithms.get(type);
        groups = List.copyOf(groups);
        frozen = List.copyOf(frozen);
        addGroups = List.copyOf(addGroups);
        algorithm.validate(defaults);
    }

    /** The algorithm of {@code type}. */
    public Algorithm algorithm() {
        return Algorithms.get(type);
    }

    /** One group of every parameter: {@code torch.optim.<Type>(model.parameters(), ...)}. */
    public static OptimizerSpec simple(String type, HyperParams defaults) {
        return new OptimizerSpec(type, defaults, List.of(), List.of(), List.of(), Clipping.NONE);
    }

    /** {@code torch.optim.<type>(params, lr=lr, **args)}, args by torch's names ({@code Map.of("momentum", 0.9)}). */
    public static OptimizerSpec of(String type, double lr, java.util.Map<String, Object> args) {
        Algorithm a = Algorithms.get(type);
        return simple(type, HyperParamsOverrides.apply(a, HyperParams.defaults(a, lr), args, "optimizer"));
    }

    public static OptimizerSpec sgd(double lr, double momentum, boolean nesterov, double weightDecay) {
        return of("sgd", lr, java.util.Map.of("momentum", momentum, "nesterov", nesterov, "weight_decay", weightDecay));
    }

    public static OptimizerSpec adam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        return of("adam", lr, java.util.Map.of("betas", List.of(beta1, beta2), "eps", eps, "weight_decay", weightDecay));
    }

    /** True for Adam-style algorithms, whose "momentum" (for OneCycleLR) is beta1. */
    public boolean usesBetas() {
        return algorithm().usesBetas();
    }
}
