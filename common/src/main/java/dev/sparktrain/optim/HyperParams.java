package dev.sparktrain.optim;

import java.io.Serializable;

/**
 * One parameter group's hyper-parameters, with torch.optim's names and meanings (a group's
 * {@code param_groups[i]} minus its params). Each algorithm reads the fields it defines:
 * SGD: lr, momentum, dampening, nesterov, weightDecay, maximize.
 * Adam / AdamW: lr, beta1, beta2, eps, weightDecay, amsgrad, maximize.
 * RMSprop: lr, alpha, eps, weightDecay, momentum, centered, maximize.
 * Adagrad: lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize.
 */
public record HyperParams(double lr, double momentum, double dampening, boolean nesterov, double weightDecay,
                          boolean maximize, double beta1, double beta2, double eps, boolean amsgrad, double alpha,
                          boolean centered, double lrDecay, double initialAccumulatorValue) implements Serializable {

    /** torch.optim's defaults for {@code type} (sgd, adam, adamw, rmsprop, adagrad) with the given lr. */
    public static HyperParams defaults(String type, double lr) {
        return switch (type) {
            case "sgd" -> new HyperParams(lr, 0, 0, false, 0, false, 0.9, 0.999, 1e-8, false, 0.99, false, 0, 0);
            case "adam" -> new HyperParams(lr, 0, 0, false, 0, false, 0.9, 0.999, 1e-8, false, 0.99, false, 0, 0);
            case "adamw" -> new HyperParams(lr, 0, 0, false, 1e-2, false, 0.9, 0.999, 1e-8, false, 0.99, false, 0, 0);
            case "rmsprop" -> new HyperParams(lr, 0, 0, false, 0, false, 0.9, 0.999, 1e-8, false, 0.99, false, 0, 0);
            case "adagrad" -> new HyperParams(lr, 0, 0, false, 0, false, 0.9, 0.999, 1e-10, false, 0.99, false, 0, 0);
            default -> throw new IllegalArgumentException("unknown optimizer type '" + type + "'");
        };
    }

    public HyperParams withLr(double newLr) {
        return new HyperParams(newLr, momentum, dampening, nesterov, weightDecay, maximize, beta1, beta2, eps,
                amsgrad, alpha, centered, lrDecay, initialAccumulatorValue);
    }

    /** With momentum changed: SGD/RMSprop's momentum, or Adam's beta1 when {@code betas} (OneCycleLR's cycling). */
    public HyperParams withMomentum(double m, boolean betas) {
        return betas
                ? new HyperParams(lr, momentum, dampening, nesterov, weightDecay, maximize, m, beta2, eps, amsgrad,
                alpha, centered, lrDecay, initialAccumulatorValue)
                : new HyperParams(lr, m, dampening, nesterov, weightDecay, maximize, beta1, beta2, eps, amsgrad,
                alpha, centered, lrDecay, initialAccumulatorValue);
    }
}
