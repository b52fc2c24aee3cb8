package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/**
 * torch.nn.TripletMarginLoss: per row {@code max(0, margin + d(a, p) - d(a, n))} for inputs
 * {@code (anchor, positive, negative)} of shape [N, D] (or [D]) and a null target, where d is
 * PyTorch's pairwise_distance: the p-norm of {@code x1 - x2 + eps} over the last dimension. With
 * {@code swap}, d(a, n) is replaced by {@code min(d(a, n), d(p, n))}.
 */
public final class TripletMarginLoss extends MultiInputLoss {
    private static final String NAME = "TripletMarginLoss";
    private final double margin;
    private final double p;
    private final double eps;
    private final boolean swap;

    public TripletMarginLoss() {
        this(1.0, 2.0, 1e-6, false, Reduction.MEAN);
    }

    public TripletMarginLoss(double margin, double p) {
        this(margin, p, 1e-6, false, Reduction.MEAN);
    }

    public TripletMarginLoss(double margin, double p, double eps, boolean swap, Reduction reduction) {
        super(NAME, 3, reduction);
        if (!(p > 0) || Double.isInfinite(p)) {
            throw new IllegalArgumentException(NAME + ": p must be a finite positive norm degree but is " + p);
        }
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
    }

    public double margin() {
        return margin;
    }

    public double p() {
        return p;
    }

    public double eps() {
        return eps;
    }

    public boolean swap() {
        return swap;
    }

    @Override
    public LossValue forward(List<INDArray> inputs, INDArray target) {
        PairLossSupport.checkArity(NAME, inputs, 3);
        if (target != null) {
            throw new IllegalArgumentException(NAME + " takes no target (anchor, positive, negative are inputs) "
                    + "but got one of shape " + PairLossSupport.shape(target));
        }
        INDArray anchor = inputs.get(0);
        INDArray positive = inputs.get(1);
        INDArray negative = inputs.get(2);
        PairLossSupport.checkFloating(NAME, "anchor", anchor);
        PairLossSupport.checkFloating(NAME, "positive", positive);
        PairLossSupport.checkFloating(NAME, "negative", negative);
        PairLossSupport.checkSameShape(NAME, "anchor", anchor, "positive", positive);
        PairLossSupport.checkSameShape(NAME, "anchor", anchor, "negative", negative);
        if (anchor.rank() != 1 && anchor.rank() != 2) {
            throw new IllegalArgumentException(NAME + ": anchor, positive and negative must be [N, D] or [D] "
                    + "but have shape " + PairLossSupport.shape(anchor));
        }
        boolean batched = anchor.rank() == 2;
        int n = batched ? (int) anchor.size(0) : 1;
        int d = (int) anchor.size(anchor.rank() - 1);
        long[] outShape = batched ? new long[]{n} : new long[0];
        double[] a = PairLossSupport.values(anchor);
        double[] pos = PairLossSupport.values(positive);
        double[] neg = PairLossSupport.values(negative);
        double[] loss = new double[n];
        double[] ga = new double[n * d];
        double[] gp = new double[n * d];
        double[] gn = new double[n * d];
        double go = PairLossSupport.outputGradient(reduction(), n);
        double[] dAp = new double[d];
        double[] dAn = new double[d];
        double[] dPn = new double[d];
        double[] wAp = new double[d];
        double[] wAn = new double[d];
        double[] wPn = new double[d];
        for (int i = 0; i < n; i++) {
            int o = i * d;
            for (int k = 0; k < d; k++) {
                dAp[k] = a[o + k] - pos[o + k] + eps;
                dAn[k] = a[o + k] - neg[o + k] + eps;
                dPn[k] = pos[o + k] - neg[o + k] + eps;
            }
            double distPos = normAndGradient(dAp, wAp);
            double distNeg = normAndGradient(dAn, wAn);
            // which distance the negative term uses: 0 = d(a, n), 1 = d(p, n), 2 = tie (halved, as torch's minimum)
            int which = 0;
            if (swap) {
                double distSwap = normAndGradient(dPn, wPn);
                if (distSwap < distNeg) {
                    which = 1;
                    distNeg = distSwap;
                } else if (distSwap == distNeg) {
                    which = 2;
                }
            }
            double u = margin + distPos - distNeg;
            loss[i] = Math.max(u, 0.0);
            if (u < 0) {
                continue;
            }
            for (int k = 0; k < d; k++) {
                // + d(a, p): d/d anchor = w, d/d positive = -w
                ga[o + k] += go * wAp[k];
                gp[o + k] -= go * wAp[k];
                double sAn = which == 0 ? 1 : which == 2 ? 0.5 : 0;
                double sPn = which == 1 ? 1 : which == 2 ? 0.5 : 0;
                // - d(a, n)
                ga[o + k] -= go * sAn * wAn[k];
                gn[o + k] += go * sAn * wAn[k];
                // - d(p, n)
                gp[o + k] -= go * sPn * wPn[k];
                gn[o + k] += go * sPn * wPn[k];
            }
        }
        return new LossValue(PairLossSupport.reduce(loss, outShape, reduction(), anchor.dataType()),
                Arrays.asList(PairLossSupport.create(ga, anchor.shape(), anchor.dataType()),
                        PairLossSupport.create(gp, positive.shape(), positive.dataType()),
                        PairLossSupport.create(gn, negative.shape(), negative.dataType())));
    }

    /** The p-norm of {@code x}; writes its gradient (torch.norm's backward, 0 where the norm is 0) into w. */
    private double normAndGradient(double[] x, double[] w) {
        double norm;
        if (p == 1) {
            norm = 0;
            for (double v : x) {
                norm += Math.abs(v);
            }
            for (int k = 0; k < x.length; k++) {
                w[k] = Math.signum(x[k]);
            }
            return norm;
        }
        if (p == 2) {
            double s = 0;
            for (double v : x) {
                s += v * v;
            }
            norm = Math.sqrt(s);
            for (int k = 0; k < x.length; k++) {
                w[k] = norm == 0 ? 0 : x[k] / norm;
            }
            return norm;
        }
        double s = 0;
        for (double v : x) {
            s += Math.pow(Math.abs(v), p);
        }
        norm = Math.pow(s, 1 / p);
        double scale = Math.pow(norm, p - 1);
        for (int k = 0; k < x.length; k++) {
            // torch: sgn(x) * |x|^(p-1) / norm^(p-1), 0 where x or the norm is 0
            w[k] = norm == 0 || x[k] == 0 ? 0 : Math.signum(x[k]) * Math.pow(Math.abs(x[k]), p - 1) / scale;
        }
        return norm;
    }
}
