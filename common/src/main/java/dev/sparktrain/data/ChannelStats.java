package dev.sparktrain.data;

import java.io.Serializable;

/**
 * Per-channel sums over a dataset's (scaled) features, for normalizing with the training set's mean
 * and standard deviation (population std over all pixels of the channel). Sums of shards add up.
 */
public record ChannelStats(double[] sum, double[] sumSquares, long pixelsPerChannel) implements Serializable {

    public static ChannelStats of(Dataset data, double scale) {
        int[] s = data.shape();
        int plane = s[1] * s[2];
        double[] sum = new double[s[0]];
        double[] sq = new double[s[0]];
        for (int i = 0; i < data.size(); i++) {
            float[] f = data.get(i).features();
            for (int c = 0; c < s[0]; c++) {
                for (int p = c * plane; p < (c + 1) * plane; p++) {
                    double v = f[p] * scale;
                    sum[c] += v;
                    sq[c] += v * v;
                }
            }
        }
        return new ChannelStats(sum, sq, (long) data.size() * plane);
    }

    public ChannelStats plus(ChannelStats o) {
        double[] s = sum.clone();
        double[] q = sumSquares.clone();
        for (int c = 0; c < s.length; c++) {
            s[c] += o.sum[c];
            q[c] += o.sumSquares[c];
        }
        return new ChannelStats(s, q, pixelsPerChannel + o.pixelsPerChannel);
    }

    public double[] mean() {
        double[] m = new double[sum.length];
        for (int c = 0; c < m.length; c++) {
            m[c] = sum[c] / pixelsPerChannel;
        }
        return m;
    }

    /** Population std per channel; a constant channel gets 1 (no division by zero). */
    public double[] std() {
        double[] m = mean();
        double[] sd = new double[m.length];
        for (int c = 0; c < m.length; c++) {
            double var = sumSquares[c] / pixelsPerChannel - m[c] * m[c];
            sd[c] = var > 1e-12 ? Math.sqrt(var) : 1.0;
        }
        return sd;
    }
}
