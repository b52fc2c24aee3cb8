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

    /**
     * The part of this (whole) state dict in elements {@code [from, to)} of the flat vector laid out
     * as {@code layout}: what the window optimizer of that range would give ({@link #concat} is its
     * inverse).
     */
    public StateDict window(dev.sparktrain.model.ParamLayout layout, long from, long to) {
        TreeMap<String, Long> st = new TreeMap<>();
        TreeMap<String, INDArray> buf = new TreeMap<>();
        for (dev.sparktrain.model.ParamLayout.Segment s : layout.segments()) {
            long lo = Math.max(s.offset(), from);
            long hi = Math.min(s.offset() + s.length(), to);
            if (hi <= lo) {
                continue;
            }
            if (steps.containsKey(s.name())) {
                st.put(s.name(), steps.get(s.name()));
            }
            String prefix = s.name() + "/";
            buffers.forEach((k, v) -> {
                if (k.startsWith(prefix) && k.indexOf('/', prefix.length()) < 0) {
                    buf.put(k, v.reshape(v.length()).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(
                            lo - s.offset(), hi - s.offset())));
                }
            });
        }
        return new StateDict(groups, st, buf);
    }

    /**
     * The state dict of the whole optimizer from its windows' ({@link GroupedOptimizer#window}), given
     * in window order: each buffer is its windows' slices end to end; groups are the first window's.
     */
    public static StateDict concat(List<StateDict> windows) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no windows to join");
        }
        TreeMap<String, Long> steps = new TreeMap<>();
        TreeMap<String, List<INDArray>> parts = new TreeMap<>();
        for (StateDict w : windows) {
            w.steps.forEach((k, v) -> {
                Long seen = steps.putIfAbsent(k, v);
                if (seen != null && !seen.equals(v)) {
                    throw new IllegalStateException("windows disagree on the step count of " + k + ": " + seen
                            + " and " + v);
                }
            });
            w.buffers.forEach((k, v) -> parts.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v.reshape(v.length())));
        }
        TreeMap<String, INDArray> buffers = new TreeMap<>();
        parts.forEach((k, list) -> buffers.put(k, list.size() == 1 ? list.get(0)
                : org.nd4j.linalg.factory.Nd4j.concat(0, list.toArray(INDArray[]::new))));
        return new StateDict(windows.get(0).groups, steps, buffers);
    }

    /** The largest step count of any parameter (0 before the first step). */
    public long maxStep() {
        return steps.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
