package dev.sparktrain.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The minibatch order of one shard in one epoch, as PyTorch's DistributedSampler (with
 * {@code set_epoch}) and DataLoader's batching give it: a pure function of (seed, epoch, shard).
 *
 * <p>Examples are assigned to shards statically (global index i goes to shard i mod P), so the data
 * never moves between executors; each epoch shuffles within the shard. Like DistributedSampler,
 * every shard yields the same number of samples, {@code ceil(N / P)}: shorter shards repeat their
 * first examples of the epoch's order. With {@code dropLast} the last incomplete minibatch is dropped,
 * as DataLoader's {@code drop_last} does.
 */
public final class BatchPlan implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final long seed;
    private final int totalSize;
    private final int shards;
    private final int batchSize;
    private final boolean dropLast;
    private final boolean shuffle;

    public BatchPlan(long seed, int totalSize, int shards, int batchSize, boolean dropLast, boolean shuffle) {
        if (totalSize <= 0) {
            throw new DataException("empty dataset: 0 examples to plan batches over");
        }
        if (shards <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("shards and batch size must be positive, found " + shards
                    + " and " + batchSize);
        }
        if (dropLast && (totalSize + shards - 1) / shards < batchSize) {
            throw new DataException("no minibatch per epoch: each of the " + shards + " shards holds at most "
                    + (totalSize + shards - 1) / shards + " examples, fewer than the batch size " + batchSize
                    + ", and data.drop-last drops incomplete minibatches");
        }
        this.seed = seed;
        this.totalSize = totalSize;
        this.shards = shards;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.shuffle = shuffle;
    }

    /** Number of examples shard {@code s} holds: global indices s, s+P, s+2P, ... below N. */
    public int shardSize(int shard) {
        return totalSize > shard ? (totalSize - shard + shards - 1) / shards : 0;
    }

    /** Samples each shard yields per epoch (DistributedSampler's num_samples). */
    public int samplesPerShard() {
        return (totalSize + shards - 1) / shards;
    }

    /** Minibatch steps per epoch, the same on every shard (len(DataLoader)). */
    public int stepsPerEpoch() {
        int m = samplesPerShard();
        return dropLast ? m / batchSize : (m + batchSize - 1) / batchSize;
    }

    /** What decides an epoch's order of one shard. */
    private record OrderKey(long seed, int totalSize, int shards, boolean shuffle, int epoch, int shard) {
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
        OrderKey key = new OrderKey(seed, totalSize, shards, shuffle, epoch, shard);
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
        if (n == 0) {
            throw new DataException("shard " + shard + " of " + shards + " is empty: " + totalSize
                    + " examples are fewer than the workers (train.workers)");
        }
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

    /** The global index of local index {@code local} of {@code shard}. */
    public int globalIndex(int shard, int local) {
        return local * shards + shard;
    }

    public int shards() {
        return shards;
    }

    public int batchSize() {
        return batchSize;
    }

    /** SplitMix64-style mixing of the three coordinates into one stream seed. */
    static long mix(long seed, int epoch, int shard) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + shard * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
