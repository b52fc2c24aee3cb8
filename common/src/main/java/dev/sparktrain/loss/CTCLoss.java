package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/**
 * torch.nn.CTCLoss (Connectionist Temporal Classification), as PyTorch 1.13's CPU kernel computes it:
 * inputs {@code (log_probs [T, N, C], input_lengths [N], target_lengths [N])}, target {@code targets}
 * either padded {@code [N, S]} (S at least the longest target) or the targets concatenated into one
 * 1-D tensor of {@code sum(target_lengths)} labels. The loss per sample is the negative log likelihood
 * of its target, computed with the forward-backward (alpha / beta) recursions in log space in double
 * precision. {@code mean} divides each sample's loss by its target length (at least 1) and averages over
 * the batch; {@code zero_infinity} sets infinite losses (impossible alignments) and their gradients to 0.
 *
 * <p>The gradient with respect to log_probs is what PyTorch's {@code log_probs.grad} holds:
 * {@code exp(log_probs) - exp(log(sum_s alpha * beta) + nll - log_probs)} on the first input_length
 * frames (0 after them), i.e. PyTorch's formula, which presumes log_probs came from log_softmax; an
 * infinite loss without zero_infinity gives NaN gradients for its sample, as in PyTorch. Lengths get no
 * gradient (null).
 */
public final class CTCLoss extends MultiInputLoss {
    private static final String NAME = "CTCLoss";
    private final int blank;
    private final boolean zeroInfinity;

    public CTCLoss() {
        this(0, Reduction.MEAN, false);
    }

    public CTCLoss(int blank) {
        this(blank, Reduction.MEAN, false);
    }

    public CTCLoss(int blank, Reduction reduction, boolean zeroInfinity) {
        super(NAME, 3, reduction);
        if (blank < 0) {
            throw new IllegalArgumentException(NAME + ": blank must be in label range but is " + blank);
        }
        this.blank = blank;
        this.zeroInfinity = zeroInfinity;
    }

    public int blank() {
        return blank;
    }

    public boolean zeroInfinity() {
        return zeroInfinity;
    }

    @Override
    public LossValue forward(List<INDArray> inputs, INDArray targets) {
        PairLossSupport.checkArity(NAME, inputs, 3);
        INDArray logProbs = inputs.get(0);
        PairLossSupport.checkFloating(NAME, "log_probs", logProbs);
        if (logProbs.rank() != 3) {
            throw new IllegalArgumentException(NAME + ": log_probs must be [T, N, C] but has shape "
                    + PairLossSupport.shape(logProbs));
        }
        int tMax = (int) logProbs.size(0);
        int n = (int) logProbs.size(1);
        int c = (int) logProbs.size(2);
        if (blank >= c) {
            throw new IllegalArgumentException(NAME + ": blank = " + blank + " is out of the label range [0, " + c
                    + ") of log_probs with shape " + PairLossSupport.shape(logProbs));
        }
        long[] inLen = lengths("input_lengths", inputs.get(1), n, logProbs);
        long[] tgLen = lengths("target_lengths", inputs.get(2), n, logProbs);
        if (targets == null) {
            throw new IllegalArgumentException(NAME + ": targets is null (expected [N, S] padded or 1-D concatenated)");
        }
        for (int b = 0; b < n; b++) {
            if (inLen[b] > tMax) {
                throw new IllegalArgumentException(NAME + ": input_lengths[" + b + "] = " + inLen[b]
                        + " is larger than T = " + tMax + " of log_probs with shape " + PairLossSupport.shape(logProbs));
            }
            if (tgLen[b] > inLen[b]) {
                throw new IllegalArgumentException(NAME + ": sample " + b + " has target length " + tgLen[b]
                        + " longer than its input length " + inLen[b]);
            }
        }
        int[][] labels = labels(targets, tgLen, n, c);

        double[] lp = PairLossSupport.values(logProbs);
        double[] loss = new double[n];
        double[] grad = new double[lp.length];
        for (int b = 0; b < n; b++) {
            double gradOut = reduction() == Reduction.MEAN ? 1.0 / (n * (double) Math.max(1L, tgLen[b])) : 1.0;
            loss[b] = sample(lp, b, n, c, (int) inLen[b], labels[b], gradOut, grad);
        }
        double[] reduced = loss.clone();
        if (reduction() == Reduction.MEAN) {
            for (int b = 0; b < n; b++) {
                reduced[b] = loss[b] / Math.max(1L, tgLen[b]);
            }
        }
        INDArray value = PairLossSupport.reduce(reduced, new long[]{n}, reduction(), logProbs.dataType());
        return new LossValue(value, Arrays.asList(
                PairLossSupport.create(grad, logProbs.shape(), logProbs.dataType()), null, null));
    }

    private long[] lengths(String what, INDArray a, int n, INDArray logProbs) {
        if (a.rank() != 1 || a.size(0) != n) {
            throw new IllegalArgumentException(NAME + ": " + what + " must have shape [" + n + "] (N of log_probs "
                    + "with shape " + PairLossSupport.shape(logProbs) + ") but has shape " + PairLossSupport.shape(a));
        }
        long[] v = PairLossSupport.longs(NAME, what, a);
        for (int b = 0; b < n; b++) {
            if (v[b] < 0) {
                throw new IllegalArgumentException(NAME + ": " + what + "[" + b + "] = " + v[b] + " is negative");
            }
        }
        return v;
    }

    /** Each sample's target labels, checked against the label range and blank. */
    private int[][] labels(INDArray targets, long[] tgLen, int n, int c) {
        long total = 0;
        long longest = 0;
        for (long l : tgLen) {
            total += l;
            longest = Math.max(longest, l);
        }
        boolean padded;
        if (targets.rank() == 2) {
            padded = true;
            if (targets.size(0) != n || targets.size(1) < longest) {
                throw new IllegalArgumentException(NAME + ": padded targets must have shape [" + n + ", S] with S >= "
                        + longest + " (the longest target length) but have shape " + PairLossSupport.shape(targets));
            }
        } else if (targets.rank() == 1) {
            padded = false;
            if (targets.size(0) < total) {
                throw new IllegalArgumentException(NAME + ": concatenated targets must hold sum(target_lengths) = "
                        + total + " labels but have shape " + PairLossSupport.shape(targets));
            }
        } else {
            throw new IllegalArgumentException(NAME + ": targets must be [N, S] padded or 1-D concatenated but have "
                    + "shape " + PairLossSupport.shape(targets));
        }
        long[] flat = PairLossSupport.longs(NAME, "targets", targets);
        int stride = padded ? (int) targets.size(1) : 0;
        int[][] labels = new int[n][];
        int offset = 0;
        for (int b = 0; b < n; b++) {
            labels[b] = new int[(int) tgLen[b]];
            int start = padded ? b * stride : offset;
            for (int j = 0; j < tgLen[b]; j++) {
                long v = flat[start + j];
                String where = padded ? "targets[" + b + ", " + j + "]" : "targets[" + (start + j) + "] (sample " + b + ")";
                if (v < 0 || v >= c) {
                    throw new IllegalArgumentException(NAME + ": " + where + " = " + v + " is out of the label range [0, "
                            + c + ")");
                }
                if (v == blank) {
                    throw new IllegalArgumentException(NAME + ": " + where + " = " + v + " equals blank = " + blank);
                }
                labels[b][j] = (int) v;
            }
            offset += tgLen[b];
        }
        return labels;
    }

    private static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }

    /**
     * Sample b's negative log likelihood (0 for an infinite one with zero_infinity); adds its gradient,
     * scaled by gradOut, into grad ([T, N, C] row-major).
     */
    private double sample(double[] lp, int b, int n, int c, int len, int[] target, double gradOut, double[] grad) {
        int s = target.length;
        int l = 2 * s + 1;
        int[] prime = new int[l];
        for (int i = 0; i < l; i++) {
            prime[i] = i % 2 == 0 ? blank : target[i / 2];
        }
        if (len == 0) {
            double nll = s == 0 ? 0 : Double.POSITIVE_INFINITY;
            return zeroInfinity && Double.isInfinite(nll) ? 0 : nll;
        }
        double ninf = Double.NEGATIVE_INFINITY;
        double[][] alpha = new double[len][l];
        double[][] beta = new double[len][l];
        for (double[] row : alpha) {
            Arrays.fill(row, ninf);
        }
        for (double[] row : beta) {
            Arrays.fill(row, ninf);
        }
        alpha[0][0] = lp[idx(0, b, blank, n, c)];
        if (s > 0) {
            alpha[0][1] = lp[idx(0, b, prime[1], n, c)];
        }
        for (int t = 1; t < len; t++) {
            for (int i = 0; i < l; i++) {
                double a = alpha[t - 1][i];
                if (i > 0) {
                    a = logAdd(a, alpha[t - 1][i - 1]);
                }
                if (i > 1 && prime[i] != blank && prime[i] != prime[i - 2]) {
                    a = logAdd(a, alpha[t - 1][i - 2]);
                }
                alpha[t][i] = a == ninf ? ninf : a + lp[idx(t, b, prime[i], n, c)];
            }
        }
        double ll = alpha[len - 1][l - 1];
        if (l > 1) {
            ll = logAdd(ll, alpha[len - 1][l - 2]);
        }
        double nll = -ll;
        boolean infinite = nll == Double.POSITIVE_INFINITY;
        if (infinite && zeroInfinity) {
            return 0; // and no gradient
        }

        beta[len - 1][l - 1] = lp[idx(len - 1, b, blank, n, c)];
        if (s > 0) {
            beta[len - 1][l - 2] = lp[idx(len - 1, b, prime[l - 2], n, c)];
        }
        for (int t = len - 2; t >= 0; t--) {
            for (int i = 0; i < l; i++) {
                double v = beta[t + 1][i];
                if (i < l - 1) {
                    v = logAdd(v, beta[t + 1][i + 1]);
                }
                if (i < l - 2 && prime[i] != blank && prime[i + 2] != prime[i]) {
                    v = logAdd(v, beta[t + 1][i + 2]);
                }
                beta[t][i] = v == ninf ? ninf : v + lp[idx(t, b, prime[i], n, c)];
            }
        }
        double[] logAlphaBeta = new double[c];
        for (int t = 0; t < len; t++) {
            Arrays.fill(logAlphaBeta, ninf);
            for (int i = 0; i < l; i++) {
                logAlphaBeta[prime[i]] = logAdd(logAlphaBeta[prime[i]], alpha[t][i] + beta[t][i]);
            }
            for (int k = 0; k < c; k++) {
                int j = idx(t, b, k, n, c);
                double lpv = lp[j];
                // PyTorch: exp(lp) - exp(log(sum alpha*beta) + nll - lp); NaN where nll is infinite
                grad[j] = (Math.exp(lpv) - Math.exp(logAlphaBeta[k] + nll - lpv)) * gradOut;
            }
        }
        return nll;
    }

    private static int idx(int t, int b, int k, int n, int c) {
        return (t * n + b) * c + k;
    }
}
