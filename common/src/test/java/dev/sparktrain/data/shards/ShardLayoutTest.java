package dev.sparktrain.data.shards;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The placement rule on 100,000 row ids: fractions, balance, independence of split and shard count. */
class ShardLayoutTest {
    private static final int ROWS = 100_000;

    private static long[] ids(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] ids = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            ids[i] = rng.nextLong();
        }
        return ids;
    }

    @Test
    void theValidationFractionIsMetWithinOnePercentOn100kRows() {
        long[] ids = ids(1);
        for (double f : new double[]{0.01, 0.1, 0.2, 0.5, 0.9}) {
            for (long seed : new long[]{0, 1, 42, -7}) {
                ShardLayout layout = new ShardLayout(seed, f, 3);
                long val = java.util.Arrays.stream(ids).filter(layout::validation).count();
                double measured = val / (double) ROWS;
                double sigma = Math.sqrt(f * (1 - f) / ROWS);
                System.out.printf("val-fraction %.2f seed %d: %.5f (%.1f sigma)%n", f, seed, measured,
                        (measured - f) / sigma);
                assertTrue(Math.abs(measured - f) < 0.01, "fraction " + f + " seed " + seed + ": " + measured);
                assertTrue(Math.abs(measured - f) < 5 * sigma, "within 5 standard deviations: " + measured);
            }
        }
    }

    @Test
    void theSplitIsTheSameForAnyNumberOfShardsAndTheShardsAreBalanced() {
        long[] ids = ids(2);
        ShardLayout one = new ShardLayout(9, 0.2, 1);
        for (int p : new int[]{2, 3, 7, 64}) {
            ShardLayout layout = new ShardLayout(9, 0.2, p);
            long[] counts = new long[p];
            for (long id : ids) {
                assertEquals(one.validation(id), layout.validation(id), "split with " + p + " shards");
                int partition = layout.partition(id, false);
                assertEquals(layout.validation(id), layout.isValidation(partition));
                assertEquals(layout.shard(id), layout.shardOf(partition));
                counts[layout.shard(id)]++;
            }
            double expected = ROWS / (double) p;
            for (long c : counts) {
                assertTrue(Math.abs(c - expected) < 5 * Math.sqrt(expected), p + " shards: " + java.util.Arrays.toString(counts));
            }
        }
    }

    @Test
    void placementIsAPureFunctionOfSeedAndIdAndTheSeedMatters() {
        long[] ids = ids(3);
        ShardLayout a = new ShardLayout(5, 0.3, 4);
        ShardLayout again = new ShardLayout(5, 0.3, 4);
        ShardLayout other = new ShardLayout(6, 0.3, 4);
        int differ = 0;
        for (long id : ids) {
            assertEquals(a.partition(id, false), again.partition(id, false));
            differ += a.partition(id, false) != other.partition(id, false) ? 1 : 0;
            assertTrue(a.isValidation(a.partition(id, true)), "rows of the validation source are validation rows");
        }
        assertTrue(differ > ROWS / 2, "another seed places most rows elsewhere: " + differ);
    }

    @Test
    void shardAndSplitAreIndependent() {
        long[] ids = ids(4);
        ShardLayout layout = new ShardLayout(11, 0.5, 2);
        long[][] counts = new long[2][2];
        for (long id : ids) {
            counts[layout.validation(id) ? 1 : 0][layout.shard(id)]++;
        }
        for (long[] row : counts) {
            for (long c : row) {
                assertTrue(Math.abs(c - ROWS / 4.0) < 5 * Math.sqrt(ROWS / 4.0), java.util.Arrays.deepToString(counts));
            }
        }
    }
}
