package dev.sparktrain.model;

import java.io.Serializable;

/** Loss sum, number correct and number of examples of an evaluation; adds up across shards. */
public record EvalSum(double lossSum, long correct, long count) implements Serializable {
    public static final EvalSum ZERO = new EvalSum(0, 0, 0);

    public EvalSum plus(EvalSum o) {
        return new EvalSum(lossSum + o.lossSum, correct + o.correct, count + o.count);
    }

    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }
}
