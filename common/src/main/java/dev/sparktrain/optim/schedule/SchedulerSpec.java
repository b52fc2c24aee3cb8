package dev.sparktrain.optim.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@link Schedulers#fromSpec}: checks a spec's keys against the type's arguments and converts values. */
final class SchedulerSpec {
    private static final Map<String, List<String>> ARGS = Map.of(
            "step", List.of("step_size", "gamma"),
            "multistep", List.of("milestones", "gamma"),
            "exponential", List.of("gamma"),
            "cosine", List.of("T_max", "eta_min"),
            "linear", List.of("start_factor", "end_factor", "total_iters"),
            "onecycle", List.of("max_lr", "total_steps", "epochs", "steps_per_epoch", "pct_start", "anneal_strategy",
                    "cycle_momentum", "base_momentum", "max_momentum", "div_factor", "final_div_factor", "three_phase"),
            "plateau", List.of("mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps"),
            "sequential", List.of("schedulers", "milestones"));
    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "step", Set.of("step_size"), "multistep", Set.of("milestones"), "exponential", Set.of("gamma"),
            "cosine", Set.of("T_max"), "linear", Set.of(), "onecycle", Set.of("max_lr"), "plateau", Set.of(),
            "sequential", Set.of("schedulers", "milestones"));

    private final Map<String, Object> spec;
    private final String type;

    private SchedulerSpec(Map<String, Object> spec, String type) {
        this.spec = spec;
        this.type = type;
    }

    static LrScheduler build(ScheduleTarget target, Map<String, Object> spec) {
        if (spec == null || !(spec.get("type") instanceof String)) {
            throw new IllegalArgumentException("scheduler spec needs a string 'type', one of "
                    + new TreeSet<>(ARGS.keySet()) + ": " + spec);
        }
        String type = (String) spec.get("type");
        if (!ARGS.containsKey(type)) {
            throw new IllegalArgumentException("unknown scheduler type '" + type + "', expected one of "
                    + new TreeSet<>(ARGS.keySet()));
        }
        for (String key : spec.keySet()) {
            if (!key.equals("type") && !ARGS.get(type).contains(key)) {
                throw new IllegalArgumentException("unknown argument '" + key + "' for scheduler type '" + type
                        + "' (accepted: " + ARGS.get(type) + ")");
            }
        }
        for (String key : ARGS.get(type)) {
            if (REQUIRED.get(type).contains(key) && spec.get(key) == null) {
                throw new IllegalArgumentException("missing required argument '" + key + "' for scheduler type '"
                        + type + "'");
            }
        }
        return new SchedulerSpec(spec, type).build(target);
    }

    private LrScheduler build(ScheduleTarget t) {
        switch (type) {
            case "step":
                return new StepLR(t, integer("step_size", 0), number("gamma", StepLR.DEFAULT_GAMMA));
            case "multistep":
                return new MultiStepLR(t, integers("milestones"), number("gamma", MultiStepLR.DEFAULT_GAMMA));
            case "exponential":
                return new ExponentialLR(t, number("gamma", 0));
            case "cosine":
                return new CosineAnnealingLR(t, integer("T_max", 0), number("eta_min", 0));
            case "linear":
                return new LinearLR(t, number("start_factor", LinearLR.DEFAULT_START_FACTOR),
                        number("end_factor", LinearLR.DEFAULT_END_FACTOR),
                        integer("total_iters", LinearLR.DEFAULT_TOTAL_ITERS));
            case "onecycle":
                return new OneCycleLR(t, oneCycle());
            case "plateau":
                return new ReduceLROnPlateau(t, plateau());
            default:
                return sequential(t);
        }
    }

    private OneCycleOptions oneCycle() {
        OneCycleOptions o = OneCycleOptions.maxLr(0).rawMaxLr(numberOrList("max_lr", 0))
                .rawSteps(rawNumber("total_steps"), rawNumber("epochs"), rawNumber("steps_per_epoch"),
                        rawNumber("pct_start"))
                .annealStrategy(string("anneal_strategy", "cos"))
                .cycleMomentum(bool("cycle_momentum", true))
                .divFactor(number("div_factor", 25.))
                .finalDivFactor(number("final_div_factor", 1e4))
                .threePhase(bool("three_phase", false));
        o.baseMomentum = numberOrList("base_momentum", 0.85);
        o.maxMomentum = numberOrList("max_momentum", 0.95);
        return o;
    }

    private PlateauOptions plateau() {
        PlateauOptions o = PlateauOptions.defaults().mode(string("mode", "min")).factor(number("factor", 0.1))
                .patience(integer("patience", 10)).threshold(number("threshold", 1e-4))
                .thresholdMode(string("threshold_mode", "rel")).cooldown(integer("cooldown", 0))
                .eps(number("eps", 1e-8));
        Object minLr = numberOrList("min_lr", 0.0);
        return minLr instanceof double[] ? o.minLrs((double[]) minLr) : o.minLr((Double) minLr);
    }

    private SequentialLR sequential(ScheduleTarget t) {
        if (!(spec.get("schedulers") instanceof List)) {
            throw wrong("schedulers", "a list of scheduler specs");
        }
        int[] milestones = integers("milestones");
        List<LrScheduler> children = new ArrayList<>();
        for (Object child : (List<?>) spec.get("schedulers")) {
            if (!(child instanceof Map)) {
                throw wrong("schedulers", "a list of scheduler specs");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> childSpec = (Map<String, Object>) child;
            Object childType = childSpec.get("type");
            if ("plateau".equals(childType) || "sequential".equals(childType)) {
                throw new IllegalArgumentException("scheduler type 'sequential' cannot contain a '" + childType
                        + "' scheduler");
            }
            children.add(build(t, childSpec));
        }
        return new SequentialLR(t, children, milestones);
    }

    private IllegalArgumentException wrong(String key, String expected) {
        Object v = spec.get(key);
        return new IllegalArgumentException("argument '" + key + "' for scheduler type '" + type + "' should be "
                + expected + ", got " + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
    }

    private Number rawNumber(String key) {
        Object v = spec.get(key);
        if (v != null && !(v instanceof Number)) {
            throw wrong(key, "a number");
        }
        return (Number) v;
    }

    private double number(String key, double dflt) {
        Number v = rawNumber(key);
        return v == null ? dflt : v.doubleValue();
    }

    private int integer(String key, int dflt) {
        Object v = spec.get(key);
        if (v == null) {
            return dflt;
        }
        Integer i = StateReader.integer(v instanceof Number ? v : null);
        if (i == null) {
            throw wrong(key, "an integer");
        }
        return i;
    }

    private int[] integers(String key) {
        if (!(spec.get(key) instanceof List)) {
            throw wrong(key, "a list of integers");
        }
        List<?> list = (List<?>) spec.get(key);
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            Integer v = StateReader.integer(list.get(i) instanceof Number ? list.get(i) : null);
            if (v == null) {
                throw wrong(key, "a list of integers");
            }
            out[i] = v;
        }
        return out;
    }

    /** A Double for one value for all groups, a double[] for a per-group list. */
    private Object numberOrList(String key, double dflt) {
        Object v = spec.get(key);
        if (v instanceof List) {
            List<?> list = (List<?>) v;
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number)) {
                    throw wrong(key, "a number or a list of numbers");
                }
                out[i] = ((Number) list.get(i)).doubleValue();
            }
            return out;
        }
        if (v != null && !(v instanceof Number)) {
            throw wrong(key, "a number or a list of numbers");
        }
        return v == null ? dflt : ((Number) v).doubleValue();
    }

    private String string(String key, String dflt) {
        Object v = spec.get(key);
        if (v != null && !(v instanceof String)) {
            throw wrong(key, "a string");
        }
        return v == null ? dflt : (String) v;
    }

    private boolean bool(String key, boolean dflt) {
        Object v = spec.get(key);
        if (v != null && !(v instanceof Boolean)) {
            throw wrong(key, "a boolean");
        }
        return v == null ? dflt : (Boolean) v;
    }
}
