package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;

import java.util.SplittableRandom;

/**
 * A dataset seen through the configured transforms and label mode. Every example: features times
 * {@code scale}, then {@code (x - mean[c]) / std[c]} per channel; for training data also a random crop
 * of the original size from the image zero-padded by {@code cropPadding} pixels, then a horizontal flip
 * with probability 0.5. The random draws are a pure function of (seed, epoch, example id), so a re-run
 * task, another worker count or a resumed run sees the same images.
 */
public final class TransformedDataset implements Dataset {
    private static final long serialVersionUID = 1L;
    private final Dataset base;
    private final DataConfig.Transforms spec;
    private final float[] mean;
    private final float[] std;
    private final boolean training;
    private final LabelMode labels;
    private final long seed;
    private final int epoch;

    /** {@code mean}/{@code std} per channel (empty = none), already resolved from the config or the data. */
    public TransformedDataset(Dataset base, DataConfig.Transforms spec, double[] mean, double[] std,
                              boolean training, LabelMode labels, long seed) {
        this(base, spec, toFloat(mean), toFloat(std), training, labels, seed, 0);
        int channels = base.shape()[0];
        if (mean.length != 0 && (mean.length != channels || std.length != channels)) {
            throw new DataException("data.transforms.mean/std have " + mean.length + "/" + std.length
                    + " values, expected one per channel: " + channels);
        }
    }

    private TransformedDataset(Dataset base, DataConfig.Transforms spec, float[] mean, float[] std, boolean training,
                               LabelMode labels, long seed, int epoch) {
        this.base = base;
        this.spec = spec;
        this.mean = mean;
        this.std = std;
        this.training = training;
        this.labels = labels;
        this.seed = seed;
        this.epoch = epoch;
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public long id(int i) {
        return base.id(i);
    }

    @Override
    public int[] shape() {
        return base.shape();
    }

    @Override
    public Dataset forEpoch(int e) {
        return new TransformedDataset(base.forEpoch(e), spec, mean, std, training, labels, seed, e);
    }

    @Override
    public Collate collate(int classes) {
        return new Collate(labels, classes);
    }

    @Override
    public Example get(int i) {
        Example e = base.get(i);
        float[] f = e.features().clone();
        int[] s = shape();
        int plane = s[1] * s[2];
        float scale = (float) spec.scale();
        for (int c = 0; c < s[0]; c++) {
            float m = mean.length == 0 ? 0f : mean[c];
            float d = mean.length == 0 ? 1f : std[c];
            for (int p = c * plane; p < (c + 1) * plane; p++) {
                f[p] = (f[p] * scale - m) / d;
            }
        }
        if (training && (spec.cropPadding() > 0 || spec.horizontalFlip())) {
            SplittableRandom rng = new SplittableRandom(BatchPlan.mix(seed ^ 0x5DEECE66DL, epoch, e.id()));
            int pad = spec.cropPadding();
            int dy = pad > 0 ? rng.nextInt(2 * pad + 1) - pad : 0;
            int dx = pad > 0 ? rng.nextInt(2 * pad + 1) - pad : 0;
            boolean flip = spec.horizontalFlip() && rng.nextBoolean();
            f = shiftAndFlip(f, s[0], s[1], s[2], dy, dx, flip);
        }
        return e.withFeatures(f);
    }

    /**
     * out[c][y][x] = in[c][y + dy][x' + dx] (0 outside), x' = w-1-x when flipped: the crop at offset
     * (pad + dy, pad + dx) of the padded image, then the flip.
     */
    static float[] shiftAndFlip(float[] in, int channels, int h, int w, int dy, int dx, boolean flip) {
        float[] out = new float[in.length];
        for (int c = 0; c < channels; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                if (sy < 0 || sy >= h) {
                    continue;
                }
                for (int x = 0; x < w; x++) {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    if (sx >= 0 && sx < w) {
                        out[base + y * w + x] = in[base + sy * w + sx];
                    }
                }
            }
        }
        return out;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
