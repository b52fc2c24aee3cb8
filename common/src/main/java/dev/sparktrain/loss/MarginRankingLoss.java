package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/**
 * torch.nn.MarginRankingLoss: {@code max(0, -y * (x1 - x2) + margin)} per element, for inputs
 * {@code (x1, x2)} and a target y of 1 / -1, all of the same shape ([N] usually).
 */
public final class MarginRankingLoss extends MultiInputLoss {
    private static final String NAME = "MarginRankingLoss";
    private final double margin;

    public MarginRankingLoss() {
        this(0.0, Reduction.MEAN);
    }

    public MarginRankingLoss(double margin) {
        this(margin, Reduction.MEAN);
    }

    public MarginRankingLoss(double margin, Reduction reduction) {
        super(NAME, 2, reduction);
        this.margin = margin;
    }

    public double margin() {
        return margin;
    }

    @Override
    public LossValue forward(List<INDArray> inputs, INDArray target) {
        PairLossSupport.checkArity(NAME, inputs, 2);
        INDArray x1 = inputs.get(0);
        INDArray x2 = inputs.get(1);
        if (target == null) {
            throw new IllegalArgumentException(NAME + ": target is null (expected 1 / -1 of shape "
                    + PairLossSupport.shape(x1) + ")");
        }
        PairLossSupport.checkFloating(NAME, "x1", x1);
        PairLossSupport.checkFloating(NAME, "x2", x2);
        PairLossSupport.checkSameShape(NAME, "x1", x1, "x2", x2);
        PairLossSupport.checkSameShape(NAME, "x1", x1, "target", target);
        double[] a = PairLossSupport.values(x1);
        double[] b = PairLossSupport.values(x2);
        double[] y = PairLossSupport.plusMinusOne(NAME, target);
        int n = a.length;
        double[] loss = new double[n];
        double[] g1 = new double[n];
        double[] g2 = new double[n];
        double go = PairLossSupport.outputGradient(reduction(), n);
        for (int i = 0; i < n; i++) {
            double u = -y[i] * (a[i] - b[i]) + margin;
            loss[i] = Math.max(u, 0.0);
            if (u >= 0) { // clamp_min's backward passes the gradient where input >= min
                g1[i] = -y[i] * go;
                g2[i] = y[i] * go;
            }
        }
        long[] shape = x1.shape();
        return new LossValue(PairLossSupport.reduce(loss, shape, reduction(), x1.dataType()),
                Arrays.asList(PairLossSupport.create(g1, shape, x1.dataType()),
                        PairLossSupport.create(g2, shape, x2.dataType())));
    }
}
