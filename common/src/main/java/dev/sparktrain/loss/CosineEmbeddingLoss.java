package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/**
 * torch.nn.CosineEmbeddingLoss: per row, {@code 1 - cos(x1, x2)} where y = 1 and
 * {@code max(0, cos(x1, x2) - margin)} where y = -1, for inputs {@code (x1, x2)} of shape [N, D] (or
 * [D] with a scalar target) and a target y of 1 / -1 of shape [N]. As PyTorch does, the cosine is
 * {@code sum(x1 * x2) / sqrt((|x1|^2 + eps) * (|x2|^2 + eps))} with PyTorch's eps, the float 1e-12f.
 */
public final class CosineEmbeddingLoss extends MultiInputLoss {
    private static final String NAME = "CosineEmbeddingLoss";
    /**
     * PyTorch's EPSILON in cosine_embedding_loss, added to both squared magnitudes: a C++ {@code float}
     * (Loss.cpp), so 9.99999996e-13 in float64, not 1e-12. The difference moves the gradient of an
     * all-zero row by 2e-9 relative.
     */
    static final double EPSILON = 1e-12f;
    private final double margin;

    public CosineEmbeddingLoss() {
        this(0.0, Reduction.MEAN);
    }

    public CosineEmbeddingLoss(double margin) {
        this(margin, Reduction.MEAN);
    }

    public CosineEmbeddingLoss(double margin, Reduction reduction) {
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
        PairLossSupport.checkFloating(NAME, "x1", x1);
        PairLossSupport.checkFloating(NAME, "x2", x2);
        PairLossSupport.checkSameShape(NAME, "x1", x1, "x2", x2);
        if (x1.rank() != 1 && x1.rank() != 2) {
            throw new IllegalArgumentException(NAME + ": x1 and x2 must be [N, D] or [D] but have shape "
                    + PairLossSupport.shape(x1));
        }
        if (target == null) {
            throw new IllegalArgumentException(NAME + ": target is null (expected 1 / -1 of shape [N])");
        }
        boolean batched = x1.rank() == 2;
        int n = batched ? (int) x1.size(0) : 1;
        int d = (int) x1.size(x1.rank() - 1);
        long[] outShape = batched ? new long[]{n} : new long[0];
        boolean targetOk = batched ? target.rank() == 1 && target.size(0) == n : target.length() == 1 && target.rank() <= 1;
        if (!targetOk) {
            throw new IllegalArgumentException(NAME + ": target has shape " + PairLossSupport.shape(target)
                    + " but x1 and x2 have shape " + PairLossSupport.shape(x1) + " (expected target of shape "
                    + Arrays.toString(outShape) + ")");
        }
        double[] a = PairLossSupport.values(x1);
        double[] b = PairLossSupport.values(x2);
        double[] y = PairLossSupport.plusMinusOne(NAME, target);
        double[] loss = new double[n];
        double[] g1 = new double[n * d];
        double[] g2 = new double[n * d];
        double go = PairLossSupport.outputGradient(reduction(), n);
        for (int i = 0; i < n; i++) {
            int o = i * d;
            double prod = 0;
            double m1 = 0;
            double m2 = 0;
            for (int k = 0; k < d; k++) {
                prod += a[o + k] * b[o + k];
                m1 += a[o + k] * a[o + k];
                m2 += b[o + k] * b[o + k];
            }
            m1 += EPSILON;
            m2 += EPSILON;
            double denom = Math.sqrt(m1 * m2);
            double cos = prod / denom;
            double dLossDCos;
            if (y[i] == 1) {
                loss[i] = 1 - cos;
                dLossDCos = -1;
            } else {
                double u = cos - margin;
                loss[i] = Math.max(u, 0.0);
                dLossDCos = u >= 0 ? 1 : 0;
            }
            double g = dLossDCos * go;
            if (g != 0) {
                for (int k = 0; k < d; k++) {
                    g1[o + k] = g * (b[o + k] / denom - cos * a[o + k] / m1);
                    g2[o + k] = g * (a[o + k] / denom - cos * b[o + k] / m2);
                }
            }
        }
        return new LossValue(PairLossSupport.reduce(loss, outShape, reduction(), x1.dataType()),
                Arrays.asList(PairLossSupport.create(g1, x1.shape(), x1.dataType()),
                        PairLossSupport.create(g2, x2.shape(), x2.dataType())));
    }
}
