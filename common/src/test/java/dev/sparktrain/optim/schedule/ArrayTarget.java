package dev.sparktrain.optim.schedule;

import java.util.List;
import java.util.Map;

/** A ScheduleTarget over plain arrays: the param groups of an SGD (momentum) or Adam (beta1) optimizer. */
final class ArrayTarget implements ScheduleTarget {
    final double[] lrs;
    final double[] momenta;
    private final boolean betas;

    ArrayTarget(double[] lrs, double[] momenta, boolean betas) {
        this.lrs = lrs.clone();
        this.momenta = momenta.clone();
        this.betas = betas;
    }

    /** Two SGD groups, lr 0.1 and 0.01, momentum 0.9. */
    static ArrayTarget sgd() {
        return new ArrayTarget(new double[] {0.1, 0.01}, new double[] {0.9, 0.9}, false);
    }

    /** From a fixture's optimizer description: {"optimizer": "sgd"|"adam", "lrs", "momentum"|"betas"}. */
    static ArrayTarget of(Map<String, Object> desc) {
        List<?> lrList = (List<?>) desc.get("lrs");
        double[] lrs = new double[lrList.size()];
        double[] momenta = new double[lrs.length];
        boolean adam = "adam".equals(desc.get("optimizer"));
        double m = adam ? ((Number) ((List<?>) desc.get("betas")).get(0)).doubleValue()
                : ((Number) desc.get("momentum")).doubleValue();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = ((Number) lrList.get(i)).doubleValue();
            momenta[i] = m;
        }
        return new ArrayTarget(lrs, momenta, adam);
    }

    @Override
    public int groupCount() {
        return lrs.length;
    }

    @Override
    public double lr(int group) {
        return lrs[group];
    }

    @Override
    public void setLr(int group, double lr) {
        lrs[group] = lr;
    }

    @Override
    public double momentum(int group) {
        return momenta[group];
    }

    @Override
    public void setMomentum(int group, double momentum) {
        momenta[group] = momentum;
    }

    @Override
    public boolean usesBetas() {
        return betas;
    }
}
