package dev.sparktrain.optim.schedule;

/**
 * What a learning-rate scheduler drives: the optimizer's parameter groups' lr (PyTorch's
 * {@code optimizer.param_groups[i]['lr']}) and, for OneCycleLR's momentum cycling, their momentum
 * (SGD, RMSprop) or beta1 (Adam, AdamW).
 */
public interface ScheduleTarget {
    int groupCount();

    double lr(int group);

    void setLr(int group, double lr);

    /** Momentum, or beta1 when {@link #usesBetas()}. */
    double momentum(int group);

    void setMomentum(int group, double momentum);

    /** True for Adam-style optimizers whose "momentum" is beta1. */
    boolean usesBetas();
}
