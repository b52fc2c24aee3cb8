package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An optimizer's state_dict as data: {@code groups} (PyTorch's param_groups: parameter names and
 * hyper-parameters, lr as the scheduler left it), {@code steps} (each parameter's step count) and
 * {@code buffers} keyed {@code <param>/<buffer>} (e.g. {@code fc1.weight/exp_avg}). Parameter names
 * are the stable ids. Immutable snapshot; arrays are copies.
 */
public record StateDict(List<GroupState> groups, Map<String, Long> steps, Map<String, INDArray> buffers)
        implements Serializable {

    /** One param group: its parameters and hyper-parameters. */
    public record GroupState(List<String> params, HyperParams hyper) implements Serializable {
        public GroupState {
            params = List.copyOf(params);
        }
    }

    public StateDict {
        groups = List.copyOf(groups);
        steps = Collections.unmodifiableMap(new TreeMap<>(steps));
        TreeMap<String, INDArray> copy = new TreeMap<>();
        buffers.forEach((k, v) -> copy.put(k, v.dup()));
        buffers = Collections.unmodifiableMap(copy);
    }

    /** Element-wise sum of the buffers of two states of the same structure (to average replicas). */
    public StateDict plus(StateDict o) {
        if (!buffers.keySet().equals(o.buffers.keySet()) || !steps.equals(o.steps)) {
            throw new IllegalStateException("cannot add optimizer states of different structure: " + buffers.keySet()
                    + " / " + o.buffers.keySet());
        }
        TreeMap<String, INDArray> sum = new TreeMap<>();
        buffers.forEach((k, v) -> sum.put(k, v.add(o.buffers.get(k))));
        return new StateDict(groups, steps, sum);
    }

    /** Every buffer multiplied by {@code factor}. */
    public StateDict times(double factor) {
        TreeMap<String, INDArray> scaled = new TreeMap<>();
        buffers.forEach((k, v) -> scaled.put(k, v.mul(factor)));
        return new StateDict(groups, steps, scaled);
    }

    /** The largest step count of any parameter (0 before the first step). */
    public long maxStep() {
        return steps.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
