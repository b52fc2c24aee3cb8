package dev.sparktrain.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The minibatch order of one shard in one epoch, as PyTorch's DistributedSampler (with
 * {@code set_epoch}) and DataLoader's batching give it: a pure function of (seed, epoch, shard).
 *
 * <p>Shards are fixed for the run (which example goes to which shard is
 * {@link dev.sparktrain.data.shards.ShardLayout}'s rule), so the data never moves between executors;
 * each epoch shuffles within the shard. Like DistributedSampler, every shard yields the same number of
 * samples per epoch, that of the largest shard: shorter shards repeat their first examples of the
 * epoch's order. With {@code dropLast} the last incomplete minibatch is dropped, as DataLoader's
 * {@code drop_last} does.
 */
public final class BatchPlan implements java.io.Serializable {
    private static final long serialVersionUID = 2L;
    private final long seed;
    private final int[] shardSizes;
    private final int batchSize;
    private final boolean dropLast;
    private final boolean shuffle;
    private final int samplesPerShard;

    /** A plan over shards of {@code shardSizes} examples; every shard must hold at least one. */
    public BatchPlan(long seed, int[] shardSizes, int batchSize, boolean dropLast, boolean shuffle) {
        if (shardSizes.length == 0 || batchSize <= 0) {
            throw new IllegalArgumentException("shards and batch size must be positive, found " + shardSizes.length
                    + " and " + batchSize);
        }
        long total = Arrays.stream(shardSizes).asLongStream().sum();
        if (total == 0) {
            throw new DataException("empty dataset: 0 training examples to plan batches over");
        }
        for (int s = 0; s < shardSizes.length; s++) {
            if (shardSizes[s] <= 0) {
                throw new DataException("training shard " + s + " of " + shardSizes.length + " is empty: the " + total
                        + " training examples, placed by the hash of their ids, left it none; use fewer workers "
                        + "(train.workers) or more data");
            }
        }
        int max = Arrays.stream(shardSizes).max().orElseThrow();
        if (dropLast && max < batchSize) {
            throw new DataException("no minibatch per epoch: each of the " + shardSizes.length + " shards yields "
                    + max + " examples per epoch, fewer than the batch size " + batchSize
                    + ", and data.drop-last drops incomplete minibatches");
        }
        this.seed = seed;
        this.shardSizes = shardSizes.clone();
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.shuffle = shuffle;
        this.samplesPerShard = max;
    }

    /** One shard of {@code size} examples (a single-process DataLoader). */
    public static BatchPlan single(long seed, int size, int batchSize, boolean dropLast, boolean shuffle) {
        return new BatchPlan(seed, new int[]{size}, batchSize, dropLast, shuffle);
    }

    /** Number of examples shard {@code shard} holds. */
    public int shardSize(int shard) {
        return shardSizes[shard];
    }

    /** Training examples over all shards. */
    public long totalSize() {
        return Arrays.stream(shardSizes).asLongStream().sum();
    }

    /** Samples each shard yields per epoch (DistributedSampler's num_samples): the largest shard's size. */
    public int samplesPerShard() {
        return samplesPerShard;
    }

    /** Minibatch steps per epoch, the same on every shard (len(DataLoader)). */
    public int stepsPerEpoch() {
        int m = samplesPerShard();
        return dropLast ? m / batchSize : (m + batchSize - 1) / batchSize;
    }

    /** What decides an epoch's order of one shard. */
    private record OrderKey(long seed, int size, int samples, boolean shuffle, int epoch, int shard) {
    }

    /**
     * Orders already computed in this JVM: every round of an epoch asks for the same one, so the
     * shuffle runs once per (epoch, shard) and JVM instead of once per round.
     */
    private static final Map<OrderKey, int[]> ORDERS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<OrderKey, int[]> eldest) {
            return size() > 64;
        }
    };

    /** The epoch's order of local indices of {@code shard}, padded to {@link #samplesPerShard()}; a copy. */
    public int[] order(int epoch, int shard) {
        OrderKey key = new OrderKey(seed, shardSizes[shard], samplesPerShard, shuffle, epoch, shard);
        int[] cached;
        synchronized (ORDERS) {
            cached = ORDERS.get(key);
        }
        if (cached == null) {
            cached = computeOrder(epoch, shard);
            synchronized (ORDERS) {
                ORDERS.put(key, cached);
            }
        }
        return cached.clone();
    }

    /** The order computed afresh, bypassing the memo (tests compare the two). */
    int[] computeOrder(int epoch, int shard) {
        int n = shardSize(shard);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(mix(seed, epoch, shard));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
        int m = samplesPerShard();
        int[] padded = new int[m];
        for (int i = 0; i < m; i++) {
            padded[i] = perm[i % n];
        }
        return padded;
    }

    /** Local indices of minibatch {@code step} of an epoch's {@code order}. */
    public int[] batch(int[] order, int step) {
        int from = step * batchSize;
        int to = Math.min(from + batchSize, order.length);
        if (step < 0 || step >= stepsPerEpoch()) {
            throw new IllegalArgumentException("step " + step + " outside [0, " + stepsPerEpoch() + ")");
        }
        int[] idx = new int[to - from];
        System.arraycopy(order, from, idx, 0, idx.length);
        return idx;
    }

    public int shards() {
        return shardSizes.length;
    }

    public int batchSize() {
        return batchSize;
    }

    /** SplitMix64-style mixing of three coordinates into one stream seed. */
    public static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
