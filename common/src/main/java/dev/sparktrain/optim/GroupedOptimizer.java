package dev.sparktrain.optim;

import dev.sparktrain.model.ParamLayout;
import dev.sparktrain.model.ParamLayout.Segment;
import dev.sparktrain.optim.ParamGroups.ResolvedGroup;
import dev.sparktrain.optim.schedule.ScheduleTarget;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A torch.optim optimizer over a network's flat parameter vector: param groups with their own
 * hyper-parameters, per-parameter state keyed by parameter name, add_param_group, state_dict /
 * load_state_dict, and gradient clipping before each step. Within a group, parameters that lie next
 * to each other in the flat vector are updated as one run (one set of ND4J ops), which gives the
 * same numbers as per-tensor updates: every rule is element-wise. Buffers (batch-norm running
 * statistics, see {@link ParamLayout}) belong to no group: each step moves them by their mean
 * moving-average delta, with no clipping, weight decay or optimizer state. Not thread-safe.
 */
public final class GroupedOptimizer implements ScheduleTarget {
    private final OptimizerSpec spec;
    private final ParamLayout layout;
    private final Algorithm rule;
    private final List<Group> groups = new ArrayList<>();
    private final List<Segment> buffers;

    /** One group: hyper-parameters (mutable: schedulers set lr), its parameters and their runs. */
    private static final class Group {
        HyperParams hyper;
        final List<String> params;
        final List<Run> runs = new ArrayList<>();

        Group(HyperParams hyper, List<String> params) {
            this.hyper = hyper;
            this.params = List.copyOf(params);
        }
    }

    /** Adjacent parameters of one group, updated together; state is kept per run. */
    private record Run(long offset, long length, List<Segment> segments, ParamState state) {
    }

    public GroupedOptimizer(OptimizerSpec spec, ParamLayout layout) {
        this.spec = spec;
        this.layout = layout;
        this.rule = spec.algorithm();
        this.buffers = layout.buffers();
        for (ResolvedGroup g : ParamGroups.resolve(layout, spec)) {
            addGroup(g.params(), g.hyper());
        }
    }

    public OptimizerSpec spec() {
        return spec;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** add_param_group: the group's parameters must not be in any group (frozen until now). */
    public void addParamGroup(GroupSpec group, String what) {
        List<String> names = ParamGroups.select(layout, group, what);
        Map<String, String> owner = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            for (String p : groups.get(i).params) {
                owner.put(p, "param group " + i);
            }
        }
        ParamGroups.claim(owner, names, what);
        addGroup(names, HyperParamsOverrides.apply(rule, spec.defaults(), group.overrides(), what));
    }

    private void addGroup(List<String> names, HyperParams hyper) {
        rule.validate(hyper);
        Group g = new Group(hyper, names);
        Set<String> in = new LinkedHashSet<>(names);
        List<Segment> current = new ArrayList<>();
        for (Segment s : layout.segments()) {
            if (in.contains(s.name())) {
                current.add(s);
            } else if (!current.isEmpty()) {
                g.runs.add(run(current));
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            g.runs.add(run(current));
        }
        groups.add(g);
    }

    private static Run run(List<Segment> segs) {
        long length = segs.stream().mapToLong(Segment::length).sum();
        return new Run(segs.get(0).offset(), length, List.copyOf(segs), new ParamState());
    }

    /**
     * One optimizer step over every group; {@code grad} is the mean gradient (for buffers, the mean
     * moving-average delta) and is not modified.
     */
    public void step(INDArray params, INDArray grad) {
        for (Segment b : buffers) {
            params.get(NDArrayIndex.interval(b.offset(), b.offset() + b.length()))
                    .subi(grad.get(NDArrayIndex.interval(b.offset(), b.offset() + b.length())));
        }
        if (spec.clipping().active()) {
            grad = grad.dup();
            List<INDArray> views = new ArrayList<>();
            for (Group g : groups) {
                for (Run r : g.runs) {
                    views.add(view(grad, r));
                }
            }
            spec.clipping().apply(views);
        }
        for (Group g : groups) {
            for (Run r : g.runs) {
                rule.update(view(params, r), view(grad, r), r.state(), g.hyper);
            }
        }
    }

    private static INDArray view(INDArray flat, Run r) {
        return flat.get(NDArrayIndex.interval(r.offset(), r.offset() + r.length()));
    }

    /** state_dict(): per-parameter buffers (slices of each run's buffers) and steps, and the groups. */
    public StateDict stateDict() {
        List<StateDict.GroupState> gs = new ArrayList<>();
        Map<String, Long> steps = new HashMap<>();
        Map<String, INDArray> buffers = new HashMap<>();
        for (Group g : groups) {
            gs.add(new StateDict.GroupState(g.params, g.hyper));
            for (Run r : g.runs) {
                for (Segment s : r.segments()) {
                    if (r.state().step() > 0 || !r.state().buffers().isEmpty()) {
                        steps.put(s.name(), r.state().step());
                    }
                    long from = s.offset() - r.offset();
                    r.state().buffers().forEach((name, buf) ->
                            buffers.put(s.name() + "/" + name, buf.get(NDArrayIndex.interval(from, from + s.length()))));
                }
            }
        }
        return new StateDict(gs, steps, buffers);
    }

    /**
     * load_state_dict(): the group count and each group's parameters must match, and every buffer
     * its parameter's size; all is checked before anything changes. Groups take the saved
     * hyper-parameters (as PyTorch does).
     */
    public void loadStateDict(StateDict state) {
        if (state.groups().size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has " + state.groups().size()
                    + " parameter groups, but the optimizer has " + groups.size());
        }
        for (int i = 0; i < groups.size(); i++) {
            List<String> saved = state.groups().get(i).params();
            if (!saved.equals(groups.get(i).params)) {
                throw new IllegalArgumentException("loaded state dict's group " + i + " holds " + saved.size()
                        + " parameters " + saved + ", but the optimizer's group " + i + " holds "
                        + groups.get(i).params.size() + " " + groups.get(i).params);
            }
        }
        List<Runnable> apply = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            HyperParams hyper = state.groups().get(i).hyper().project(rule);
            apply.add(() -> g.hyper = hyper);
            for (Run r : g.runs) {
                apply.add(prepareRun(r, state));
            }
        }
        apply.forEach(Runnable::run);
    }

    /** Checks the saved state of one run and returns the action that installs it. */
    private Runnable prepareRun(Run r, StateDict state) {
        Set<String> names = null;
        Long step = null;
        for (Segment s : r.segments()) {
            Set<String> mine = new LinkedHashSet<>();
            state.buffers().keySet().stream().filter(k -> k.startsWith(s.name() + "/"))
                    .forEach(k -> mine.add(k.substring(s.name().length() + 1)));
            long st = state.steps().getOrDefault(s.name(), 0L);
            if (names == null) {
                names = mine;
                step = st;
            } else if (!names.equals(mine) || step != st) {
                throw new IllegalArgumentException("parameter " + s.name() + " has state " + mine + " at step " + st
                        + ", unlike its neighbours in the same group " + names + " at step " + step);
            }
            for (String b : mine) {
                long len = state.buffers().get(s.name() + "/" + b).length();
                if (len != s.length()) {
                    throw new IllegalArgumentException("state buffer " + s.name() + "/" + b + " has " + len
                            + " elements, but parameter " + s.name() + " has " + s.length());
                }
            }
        }
        Map<String, INDArray> runBuffers = new HashMap<>();
        for (String b : names) {
            List<INDArray> parts = new ArrayList<>();
            for (Segment s : r.segments()) {
                parts.add(state.buffers().get(s.name() + "/" + b).reshape(s.length()));
            }
            runBuffers.put(b, parts.size() == 1 ? parts.get(0).dup() : Nd4j.concat(0, parts.toArray(INDArray[]::new)));
        }
        long runStep = step;
        return () -> {
            r.state().buffers().clear();
            r.state().buffers().putAll(runBuffers);
            r.state().setStep(runStep);
        };
    }

    /** Each group's current lr, in group order (what metrics report). */
    public double[] lrs() {
        return groups.stream().mapToDouble(g -> g.hyper.lr()).toArray();
    }

    @Override
    public int groupCount() {
        return groups.size();
    }

    @Override
    public double lr(int group) {
        return groups.get(group).hyper.lr();
    }

    @Override
    public void setLr(int group, double lr) {
        Group g = groups.get(group);
        g.hyper = g.hyper.withLr(lr);
    }

    @Override
    public double momentum(int group) {
        return groups.get(group).hyper.momentum(usesBetas());
    }

    @Override
    public void setMomentum(int group, double momentum) {
        Group g = groups.get(group);
        g.hyper = g.hyper.withMomentum(momentum, usesBetas());
    }

    @Override
    public boolean usesBetas() {
        return spec.usesBetas();
    }
}
