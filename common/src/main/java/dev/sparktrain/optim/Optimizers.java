package dev.sparktrain.optim;

import dev.sparktrain.model.ParamLayout;

import java.util.List;
import java.util.Map;

/** Static factories for optimizers over a network's parameters. */
public final class Optimizers {
    private Optimizers() {
    }

    /** {@code torch.optim.<Type>(groups, **defaults)} for the network laid out as {@code layout}. */
    public static GroupedOptimizer create(OptimizerSpec spec, ParamLayout layout) {
        return new GroupedOptimizer(spec, layout);
    }

    /**
     * An optimizer with exactly the groups and state of {@code state} (a driver's state dict, including
     * groups added at run time): what a worker needs for the inner steps of parameter averaging.
     */
    public static GroupedOptimizer restore(OptimizerSpec spec, ParamLayout layout, StateDict state) {
        return restored(create(spec, layout), state);
    }

    /**
     * As {@link #restore}, the optimizer of the window {@code [from, to)} of the flat vector only
     * ({@link GroupedOptimizer#window}), keeping that window of {@code state} (a whole state dict).
     */
    public static GroupedOptimizer restoreWindow(OptimizerSpec spec, ParamLayout layout, StateDict state, long from,
                                                 long to) {
        return restored(GroupedOptimizer.window(spec, layout, from, to), state);
    }

    private static GroupedOptimizer restored(GroupedOptimizer opt, StateDict state) {
        for (int g = opt.groupCount(); g < state.groups().size(); g++) {
            opt.addParamGroup(new GroupSpec(List.of(), state.groups().get(g).params(), Map.of()),
                    "param group " + g);
        }
        opt.loadStateDict(state);
        return opt;
    }
}
