package dev.sparktrain.optim;

import java.util.List;
import java.util.Map;

/** Applies a group's overrides, keyed by PyTorch's names, to the defaults. */
public final class HyperParamsOverrides {
    private HyperParamsOverrides() {
    }

    public static HyperParams apply(HyperParams d, Map<String, Object> overrides, String what) {
        double lr = d.lr(), momentum = d.momentum(), dampening = d.dampening(), weightDecay = d.weightDecay();
        double beta1 = d.beta1(), beta2 = d.beta2(), eps = d.eps(), alpha = d.alpha(), lrDecay = d.lrDecay();
        double initAcc = d.initialAccumulatorValue();
        boolean nesterov = d.nesterov(), maximize = d.maximize(), amsgrad = d.amsgrad(), centered = d.centered();
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey().replace('-', '_')) {
                case "lr" -> lr = number(v, e.getKey(), what);
                case "momentum" -> momentum = number(v, e.getKey(), what);
                case "dampening" -> dampening = number(v, e.getKey(), what);
                case "weight_decay" -> weightDecay = number(v, e.getKey(), what);
                case "eps" -> eps = number(v, e.getKey(), what);
                case "alpha" -> alpha = number(v, e.getKey(), what);
                case "lr_decay" -> lrDecay = number(v, e.getKey(), what);
                case "initial_accumulator_value" -> initAcc = number(v, e.getKey(), what);
                case "nesterov" -> nesterov = bool(v, e.getKey(), what);
                case "maximize" -> maximize = bool(v, e.getKey(), what);
                case "amsgrad" -> amsgrad = bool(v, e.getKey(), what);
                case "centered" -> centered = bool(v, e.getKey(), what);
                case "betas" -> {
                    if (!(v instanceof List<?> l) || l.size() != 2) {
                        throw new IllegalArgumentException(what + ".betas must be a list of 2 numbers, found " + v);
                    }
                    beta1 = number(l.get(0), "betas[0]", what);
                    beta2 = number(l.get(1), "betas[1]", what);
                }
                default -> throw new IllegalArgumentException(what + " has unknown key '" + e.getKey()
                        + "'; known: layers, params, lr, momentum, dampening, nesterov, weight-decay, betas, eps, "
                        + "amsgrad, maximize, alpha, centered, lr-decay, initial-accumulator-value");
            }
        }
        return new HyperParams(lr, momentum, dampening, nesterov, weightDecay, maximize, beta1, beta2, eps, amsgrad,
                alpha, centered, lrDecay, initAcc);
    }

    private static double number(Object v, String key, String what) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(what + "." + key + " must be a number, found " + v);
    }

    private static boolean bool(Object v, String key, String what) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(what + "." + key + " must be true or false, found " + v);
    }
}
