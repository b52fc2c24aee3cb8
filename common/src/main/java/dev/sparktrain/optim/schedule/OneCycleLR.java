package dev.sparktrain.optim.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code torch.optim.lr_scheduler.OneCycleLR}: the 1cycle policy, stepped once per batch. Defaults as
 * PyTorch's ({@link OneCycleOptions}): {@code pct_start=0.3, anneal_strategy='cos', cycle_momentum=True,
 * base_momentum=0.85, max_momentum=0.95, div_factor=25, final_div_factor=1e4, three_phase=False}.
 *
 * <p>Construction overrides each group: {@code initial_lr = max_lr / div_factor}, {@code min_lr =
 * initial_lr / final_div_factor}, and with cycle_momentum the momentum (beta1 for a target that
 * {@link ScheduleTarget#usesBetas() uses betas}) becomes {@code max_momentum}. Two phases: steps
 * {@code 0 .. pct_start*total_steps - 1} go initial_lr to max_lr, then to min_lr at
 * {@code total_steps - 1}; three_phase goes max_lr back to initial_lr by {@code 2*pct_start*total_steps
 * - 2}, then to min_lr. Within a phase, {@code pct = (step - phase_start) / (phase_end - phase_start)}
 * and cos annealing is {@code end + (start - end) / 2 * (cos(pi pct) + 1)}, linear {@code (end - start)
 * * pct + start}; momentum runs inversely. As in PyTorch, {@code total_steps} steps may follow the
 * constructor's (the last one extrapolates); one more throws IllegalStateException("Tried to step N
 * times. The specified number of total steps is T") after advancing last_epoch.
 */
public final class OneCycleLR extends AbstractLrScheduler {
    private static final Set<String> GROUP_KEYS = Set.of("initial_lr", "max_lr", "min_lr", "max_momentum",
            "base_momentum");

    private int totalSteps;
    private List<Phase> phases;
    private String annealStrategy;
    private boolean cycleMomentum;
    private boolean useBeta1;

    /** One entry of PyTorch's {@code _schedule_phases}: names of param-group entries. */
    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {
    }

    public OneCycleLR(ScheduleTarget target, OneCycleOptions options) {
        super(target);
        OneCycleOptions o = options;
        totalSteps = o.resolveTotalSteps();
        double pct = o.pctStart.doubleValue();
        if (o.threePhase) {
            phases = List.of(new Phase(pct * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(2 * pct * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                    new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        } else {
            phases = List.of(new Phase(pct * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
        }
        if (pct < 0 || pct > 1 || !(o.pctStart instanceof Double || o.pctStart instanceof Float)) {
            throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + Py.str(o.pctStart));
        }
        if (!"cos".equals(o.annealStrategy) && !"linear".equals(o.annealStrategy)) {
            throw new IllegalArgumentException("anneal_strategy must by one of 'cos' or 'linear', instead got "
                    + o.annealStrategy);
        }
        annealStrategy = o.annealStrategy;
        int n = target.groupCount();
        double[] maxLrs = OneCycleOptions.perGroup("max_lr", o.maxLr, n);
        cycleMomentum = o.cycleMomentum;
        double[] maxMomenta = cycleMomentum ? OneCycleOptions.perGroup("max_momentum", o.maxMomentum, n) : null;
        double[] baseMomenta = cycleMomentum ? OneCycleOptions.perGroup("base_momentum", o.baseMomentum, n) : null;
        for (int i = 0; i < n; i++) {
            double initial = Py.div(maxLrs[i], o.divFactor);
            groups.put(i, "initial_lr", initial);
            groups.put(i, "max_lr", maxLrs[i]);
            groups.put(i, "min_lr", Py.div(initial, o.finalDivFactor));
        }
        if (cycleMomentum) {
            useBeta1 = target.usesBetas();
            for (int i = 0; i < n; i++) {
                target.setMomentum(i, maxMomenta[i]);
                groups.put(i, "max_momentum", maxMomenta[i]);
                groups.put(i, "base_momentum", baseMomenta[i]);
            }
        }
        start();
    }

    private double anneal(double start, double end, double pct) {
        if ("cos".equals(annealStrategy)) {
            double cosOut = StrictMath.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    @Override
    double[] chainedLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("Tried to step " + (stepNum + 1)
                    + " times. The specified number of total steps is " + totalSteps);
        }
        double[] lrs = new double[target.groupCount()];
        for (int g = 0; g < lrs.length; g++) {
            double startStep = 0;
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                double endStep = phase.endStep();
                if (stepNum <= endStep || i == phases.size() - 1) {
                    double pct = Py.div(stepNum - startStep, endStep - startStep);
                    lrs[g] = anneal(groups.get(g, phase.startLr()), groups.get(g, phase.endLr()), pct);
                    if (cycleMomentum) {
                        // PyTorch writes betas[0] when use_beta1, else momentum: both are the target's momentum
                        target.setMomentum(g, anneal(groups.get(g, phase.startMomentum()),
                                groups.get(g, phase.endMomentum()), pct));
                    }
                    break;
                }
                startStep = phase.endStep();
            }
        }
        return lrs;
    }

    @Override
    void writeState(Map<String, Object> out) {
        out.put("total_steps", totalSteps);
        List<Object> list = new ArrayList<>();
        for (Phase p : phases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("end_step", p.endStep());
            m.put("start_lr", p.startLr());
            m.put("end_lr", p.endLr());
            m.put("start_momentum", p.startMomentum());
            m.put("end_momentum", p.endMomentum());
            list.add(m);
        }
        out.put("_schedule_phases", list);
        out.put("anneal_strategy", annealStrategy);
        out.put("cycle_momentum", cycleMomentum);
        if (cycleMomentum) {
            out.put("use_beta1", useBeta1);
        }
    }

    @Override
    Runnable prepareOwn(StateReader in) {
        int total = in.getInt("total_steps", totalSteps);
        List<Phase> ph = phases;
        if (in.has("_schedule_phases")) {
            ph = new ArrayList<>();
            for (Map<String, Object> m : in.getMaps("_schedule_phases")) {
                StateReader p = new StateReader(m, "OneCycleLR _schedule_phases");
                String[] names = new String[4];
                String[] keys = {"start_lr", "end_lr", "start_momentum", "end_momentum"};
                for (int k = 0; k < 4; k++) {
                    names[k] = p.getString(keys[k], null);
                    if (!GROUP_KEYS.contains(names[k])) {
                        throw p.wrong(keys[k], "one of " + GROUP_KEYS);
                    }
                }
                if (!p.has("end_step")) {
                    throw p.wrong("end_step", "a number");
                }
                ph.add(new Phase(p.getDouble("end_step", 0), names[0], names[1], names[2], names[3]));
            }
        }
        String anneal = in.getString("anneal_strategy", annealStrategy);
        if (!"cos".equals(anneal) && !"linear".equals(anneal)) {
            throw in.wrong("anneal_strategy", "'cos' or 'linear'");
        }
        boolean cycle = in.getBool("cycle_momentum", cycleMomentum);
        boolean beta1 = in.getBool("use_beta1", useBeta1);
        List<Phase> loaded = List.copyOf(ph);
        return () -> {
            totalSteps = total;
            phases = loaded;
            annealStrategy = anneal;
            cycleMomentum = cycle;
            useBeta1 = beta1;
        };
    }
}
