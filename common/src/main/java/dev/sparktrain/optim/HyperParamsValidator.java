package dev.sparktrain.optim;

/**
 * The checks of torch.optim's constructors (PyTorch 1.13), in their order and with their messages
 * (numbers printed as Python prints floats). Like torch, it checks only what the constructor checks:
 * e.g. SGD's dampening and RMSprop's alpha &gt; 1 pass, and SGD's {@code lr < 0} lets NaN through while
 * the others' {@code not 0.0 <= lr} rejects it.
 */
public final class HyperParamsValidator {
    private HyperParamsValidator() {
    }

    /** Throws IllegalArgumentException with torch's message for the first invalid field of {@code h}. */
    public static void validate(String type, HyperParams h) {
        switch (String.valueOf(type)) {
            case "sgd" -> sgd(h);
            case "adam", "adamw" -> adam(h);
            case "rmsprop" -> rmsprop(h);
            case "adagrad" -> adagrad(h);
            default -> throw UpdateRules.unknownType(type);
        }
    }

    private static void sgd(HyperParams h) {
        check(!(h.lr() < 0.0), "Invalid learning rate: ", h.lr());
        check(!(h.momentum() < 0.0), "Invalid momentum value: ", h.momentum());
        check(!(h.weightDecay() < 0.0), "Invalid weight_decay value: ", h.weightDecay());
        if (h.nesterov() && (h.momentum() <= 0 || h.dampening() != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
    }

    private static void adam(HyperParams h) {
        check(0.0 <= h.lr(), "Invalid learning rate: ", h.lr());
        check(0.0 <= h.eps(), "Invalid epsilon value: ", h.eps());
        check(0.0 <= h.beta1() && h.beta1() < 1.0, "Invalid beta parameter at index 0: ", h.beta1());
        check(0.0 <= h.beta2() && h.beta2() < 1.0, "Invalid beta parameter at index 1: ", h.beta2());
        check(0.0 <= h.weightDecay(), "Invalid weight_decay value: ", h.weightDecay());
    }

    private static void rmsprop(HyperParams h) {
        check(0.0 <= h.lr(), "Invalid learning rate: ", h.lr());
        check(0.0 <= h.eps(), "Invalid epsilon value: ", h.eps());
        check(0.0 <= h.momentum(), "Invalid momentum value: ", h.momentum());
        check(0.0 <= h.weightDecay(), "Invalid weight_decay value: ", h.weightDecay());
        check(0.0 <= h.alpha(), "Invalid alpha value: ", h.alpha());
    }

    private static void adagrad(HyperParams h) {
        check(0.0 <= h.lr(), "Invalid learning rate: ", h.lr());
        check(0.0 <= h.lrDecay(), "Invalid lr_decay value: ", h.lrDecay());
        check(0.0 <= h.weightDecay(), "Invalid weight_decay value: ", h.weightDecay());
        check(0.0 <= h.initialAccumulatorValue(), "Invalid initial_accumulator_value value: ",
                h.initialAccumulatorValue());
        check(0.0 <= h.eps(), "Invalid epsilon value: ", h.eps());
    }

    private static void check(boolean valid, String message, double value) {
        if (!valid) {
            throw new IllegalArgumentException(message + PyRepr.of(value));
        }
    }
}
