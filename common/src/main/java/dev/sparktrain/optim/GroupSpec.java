package dev.sparktrain.optim;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A parameter group as declared: the parameters it takes (whole layers by name, and/or globs on
 * parameter names such as {@code conv*.weight}) and its hyper-parameter overrides with PyTorch's
 * names (lr, momentum, dampening, nesterov, weight_decay, betas, eps, amsgrad, maximize, alpha,
 * centered, lr_decay, initial_accumulator_value).
 */
public record GroupSpec(List<String> layers, List<String> params, Map<String, Object> overrides)
        implements Serializable {

    public GroupSpec {
        layers = List.copyOf(layers);
        params = List.copyOf(params);
        overrides = Map.copyOf(overrides);
    }

    public static GroupSpec ofLayers(List<String> layers, Map<String, Object> overrides) {
        return new GroupSpec(layers, List.of(), overrides);
    }
}
