package dev.sparktrain.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A train/validation split of N examples by fraction: a permutation seeded by the root seed puts
 * {@code round(fraction * N)} examples in validation; both parts keep source order. The same
 * (N, fraction, seed) always gives the same split, in any JVM.
 */
public record Split(int[] train, int[] val) {

    public static Split of(int n, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), found " + fraction);
        }
        int k = (int) Math.round(fraction * n);
        if (k == 0 || k == n) {
            throw new DataException("empty dataset: a validation fraction of " + fraction + " of " + n
                    + " examples leaves " + (k == 0 ? "no validation" : "no training") + " examples (data.val-fraction)");
        }
        int[] perm = new int[n];
        Arrays.setAll(perm, i -> i);
        SplittableRandom rng = new SplittableRandom(BatchPlan.mix(seed, -1, -1)); // apart from epoch orders
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] val = Arrays.copyOf(perm, k);
        int[] train = Arrays.copyOfRange(perm, k, n);
        Arrays.sort(val);
        Arrays.sort(train);
        return new Split(train, val);
    }
}
