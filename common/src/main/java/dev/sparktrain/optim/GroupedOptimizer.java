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
 *
 * <p>A <em>window</em> optimizer ({@link #window}) owns a contiguous slice of the flat vector
 * (ZeRO stage 1): it steps only that slice, with state only for it, and is given the slice of the
 * parameters and gradient. Every rule being element-wise, the slices together step exactly as the
 * whole does; only clipping by norm needs the other slices (a scalar, see {@link Clipping.Across}).
 */
public final class GroupedOptimizer implements ScheduleTarget {
    private final OptimizerSpec spec;
    private final ParamLayout layout;
    private final Algorithm rule;
    private final List<Group> groups = new ArrayList<>();
    private final List<Segment> buffers;
    private final long from;
    private final long to;

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

    /**
     * Adjacent parameters of one group, updated together; state is kept per run. {@code offset} and
     * {@code length} are the part inside the window (the whole run without one); {@code segments} are
     * the parameters it touches.
     */
    private record Run(long offset, long length, List<Segment> segments, ParamState state) {
    }

    public GroupedOptimizer(OptimizerSpec spec, ParamLayout layout) {
        this(spec, layout, 0, layout.numParams());
    }

    private GroupedOptimizer(OptimizerSpec spec, ParamLayout layout, long from, long to) {
        if (from < 0 || to < from || to > layout.numParams()) {
            throw new IllegalArgumentException("window [" + from + ", " + to + ") of " + layout.numParams()
                    + " parameters");
        }
        this.spec = spec;
        this.layout = layout;
        this.rule = spec.algorithm();
        this.from = from;
        this.to = to;
        this.buffers = layout.buffers().stream().filter(b -> overlaps(b.offset(), b.length())).toList();
        for (ResolvedGroup g : ParamGroups.resolve(layout, spec)) {
            addGroup(g.params(), g.hyper());
        }
    }

    /**
     * The optimizer of elements {@code [from, to)} of the flat vector only: {@link #step} takes that
     * slice of the parameters and gradient, {@link #stateDict} holds that slice of each parameter's
     * buffers (concatenated over the windows in order with {@link StateDict#concat}, they are the
     * whole optimizer's), and {@link #loadStateDict} takes a whole state dict and keeps its slice.
     */
    public static GroupedOptimizer window(OptimizerSpec spec, ParamLayout layout, long from, long to) {
        return new GroupedOptimizer(spec, layout, from, to);
    }

    /** The first element of the flat vector this optimizer steps (0 without a window). */
    public long windowFrom() {
        return from;
    }

    /** One past the last element of the flat vector this optimizer steps. */
    public long windowTo() {
        return to;
    }

    private boolean overlaps(long offset, long length) {
        return offset < to && offset + length > from && length > 0;
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
                addRun(g.runs, current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            addRun(g.runs, current);
        }
        groups.add(g);
    }

    private void addRun(List<Run> runs, List<Segment> segs) {
        long start = segs.get(0).offset();
        long end = start + segs.stream().mapToLong(Segment::length).sum();
        long lo = Math.max(start, from);
        long hi = Math.min(end, to);
        List<Segment> inside = segs.stream().filter(s -> overlaps(s.offset(), s.length())).toList();
        if (hi > lo) {
            runs.add(new Run(lo, hi - lo, inside, new ParamState()));
        }
    }

    /**
     * One optimizer step over every group; {@code grad} is the mean gradient (for buffers, the mean
     * moving-average delta) and is not modified. With a window, both are the window's slice.
     */
    public void step(INDArray params, INDArray grad) {
        step(params, grad, Clipping.Across.NONE);
    }

    /**
     * As {@link #step(INDArray, INDArray)}; a window optimizer's norm clipping combines its partial
     * norm with the other windows' through {@code across}.
     */
    public void step(INDArray params, INDArray grad, Clipping.Across across) {
        for (Segment b : buffers) {
            long lo = Math.max(b.offset(), from) - from;
            long hi = Math.min(b.offset() + b.length(), to) - from;
            params.get(NDArrayIndex.interval(lo, hi)).subi(grad.get(NDArrayIndex.interval(lo, hi)));
        }
        if (spec.clipping().active()) {
            grad = grad.dup();
            List<INDArray> views = new ArrayList<>();
            for (Group g : groups) {
                for (Run r : g.runs) {
                    views.add(view(grad, r));
                }
            }
            spec.clipping().apply(views, across);
        }
        for (Group g : groups) {
            for (Run r : g.runs) {
                rule.update(view(params, r), view(grad, r), r.state(), g.hyper);
            }
        }
    }

    private INDArray view(INDArray flat, Run r) {
        return flat.get(NDArrayIndex.interval(r.offset() - from, r.offset() - from + r.length()));
    }

    /** The groups' parameters and current hyper-parameters (a state dict's groups, without the state). */
    public List<StateDict.GroupState> groupStates() {
        return groups.stream().map(g -> new StateDict.GroupState(g.params, g.hyper)).toList();
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
                    long lo = Math.max(s.offset(), r.offset()) - r.offset();
                    long hi = Math.min(s.offset() + s.length(), r.offset() + r.length()) - r.offset();
                    r.state().buffers().forEach((name, buf) ->
                            buffers.put(s.name() + "/" + name, buf.get(NDArrayIndex.interval(lo, hi))));
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
                INDArray whole = state.buffers().get(s.name() + "/" + b).reshape(s.length());
                long lo = Math.max(s.offset(), r.offset());
                long hi = Math.min(s.offset() + s.length(), r.offset() + r.length());
                parts.add(lo == s.offset() && hi == s.offset() + s.length() ? whole
                        : whole.get(NDArrayIndex.interval(lo - s.offset(), hi - s.offset())));
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

    /** Sets all of a group's hyper-parameters (checked as the constructor checks them). */
    public void setHyperParams(int group, HyperParams hyper) {
        HyperParams h = hyper.project(rule);
        rule.validate(h);
        groups.get(group).hyper = h;
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
