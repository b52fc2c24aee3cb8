package dev.sparktrain.optim;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * What optimizer to build: the algorithm, its defaults (torch.optim's {@code defaults}), the declared
 * param groups, frozen parameters (layers or globs: not trained), groups added at the start of a
 * later epoch ({@code add_param_group}, e.g. to unfreeze a layer), and gradient clipping.
 */
public record OptimizerSpec(String type, HyperParams defaults, List<GroupSpec> groups, List<String> frozen,
                            List<TimedGroup> addGroups, Clipping clipping) implements Serializable {
    public static final Set<String> TYPES = Set.of("sgd", "adam", "adamw", "rmsprop", "adagrad");

    /** A group added with add_param_group at the start of epoch {@code epoch} (1-based). */
    public record TimedGroup(int epoch, GroupSpec group) implements Serializable {
    }

    public OptimizerSpec {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown optimizer type '" + type + "'; expected one of "
                    + new java.util.TreeSet<>(TYPES));
        }
        groups = List.copyOf(groups);
        frozen = List.copyOf(frozen);
        addGroups = List.copyOf(addGroups);
        HyperParamsValidator.validate(type, defaults);
    }

    /** One group of every parameter: {@code torch.optim.<Type>(model.parameters(), ...)}. */
    public static OptimizerSpec simple(String type, HyperParams defaults) {
        return new OptimizerSpec(type, defaults, List.of(), List.of(), List.of(), Clipping.NONE);
    }

    public static OptimizerSpec sgd(double lr, double momentum, boolean nesterov, double weightDecay) {
        HyperParams d = HyperParams.defaults("sgd", lr);
        return simple("sgd", new HyperParams(lr, momentum, 0, nesterov, weightDecay, false, d.beta1(), d.beta2(),
                d.eps(), false, d.alpha(), false, 0, 0));
    }

    public static OptimizerSpec adam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        HyperParams d = HyperParams.defaults("adam", lr);
        return simple("adam", new HyperParams(lr, 0, 0, false, weightDecay, false, beta1, beta2, eps, false,
                d.alpha(), false, 0, 0));
    }

    /** True for Adam-style algorithms, whose "momentum" (for OneCycleLR) is beta1. */
    public boolean usesBetas() {
        return type.equals("adam") || type.equals("adamw");
    }
}
