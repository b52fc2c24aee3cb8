package dev.sparktrain.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the per-shard epoch order against PyTorch's DistributedSampler + DataLoader, checked
 * over many (shard sizes, b, dropLast) combinations: sizes as DistributedSampler's strided shards
 * have them (N over P, differing by at most one), and unequal ones as hashing rows into shards gives.
 */
class BatchPlanTest {
    private static final int[] BATCHES = {1, 3, 8, 64};
    private static final int[] SHARDS = {1, 2, 3, 5};
    private static final int EPOCHS = 3;

    /** One combination of the property sweep. */
    private record Case(int[] sizes, int b, boolean dropLast) {
        BatchPlan plan(long seed) {
            return new BatchPlan(seed, sizes, b, dropLast, true);
        }

        int p() {
            return sizes.length;
        }

        int max() {
            return Arrays.stream(sizes).max().orElseThrow();
        }

        @Override
        public String toString() {
            return "Case" + Arrays.toString(sizes) + " b=" + b + " dropLast=" + dropLast;
        }
    }

    /** N examples over P shards as example i mod P would fill them. */
    static int[] strided(int n, int p) {
        return IntStream.range(0, p).map(s -> n > s ? (n - s + p - 1) / p : 0).toArray();
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        int[] totals = IntStream.concat(IntStream.rangeClosed(1, 40), IntStream.of(97, 1000)).toArray();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(17);
        for (int n : totals) {
            for (int p : SHARDS) {
                if (p > n) {
                    continue;
                }
                int[] uneven = IntStream.range(0, p).map(s -> 1 + rng.nextInt(Math.max(1, 2 * n / p))).toArray();
                for (int[] sizes : List.of(strided(n, p), uneven)) {
                    for (int b : BATCHES) {
                        cases.add(new Case(sizes, b, false));
                        if (Arrays.stream(sizes).max().orElseThrow() >= b) { // else no minibatch: see below
                            cases.add(new Case(sizes, b, true));
                        }
                    }
                }
            }
        }
        return cases;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Test
    void everyShardYieldsTheLargestShardsSizeAndItsRealExamplesOnceEach() {
        for (Case c : cases()) {
            BatchPlan plan = c.plan(42);
            int m = c.max();
            assertEquals(m, plan.samplesPerShard(), c::toString);
            assertEquals(Arrays.stream(c.sizes()).sum(), plan.totalSize(), c::toString);
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                for (int s = 0; s < c.p(); s++) {
                    int[] order = plan.order(epoch, s);
                    assertEquals(m, order.length, () -> c + " shard " + Arrays.toString(order));
                    int real = plan.shardSize(s);
                    int[] seen = new int[real];
                    for (int i = 0; i < real; i++) {
                        assertTrue(order[i] >= 0 && order[i] < real, c + ": local index " + order[i]);
                        seen[order[i]]++;
                    }
                    for (int i = 0; i < real; i++) {
                        assertEquals(1, seen[i], c + " epoch " + epoch + " shard " + s + ": times " + i + " was seen");
                    }
                }
            }
        }
    }

    @Test
    void paddingRepeatsTheShardsOwnFirstExamples() {
        for (Case c : cases()) {
            BatchPlan plan = c.plan(7);
            for (int s = 0; s < c.p(); s++) {
                int[] order = plan.order(1, s);
                int real = plan.shardSize(s);
                assertEquals(c.max() - real, order.length - real, c::toString);
                for (int i = real; i < order.length; i++) {
                    assertEquals(order[i % real], order[i], c + " shard " + s + " position " + i);
                }
            }
        }
    }

    @Test
    void stepsPerEpochIsTheLengthOfPyTorchsDataLoader() {
        for (Case c : cases()) {
            int m = c.max();
            int expected = c.dropLast() ? m / c.b() : ceilDiv(m, c.b());
            assertEquals(expected, c.plan(1).stepsPerEpoch(), c::toString);
        }
    }

    @Test
    void batchesConcatenateToTheOrderTruncatedWithDropLast() {
        for (Case c : cases()) {
            BatchPlan plan = c.plan(3);
            for (int s = 0; s < c.p(); s++) {
                int[] order = plan.order(0, s);
                int[] joined = IntStream.range(0, plan.stepsPerEpoch())
                        .flatMap(step -> Arrays.stream(plan.batch(order, step))).toArray();
                int expectedLength = c.dropLast() ? order.length / c.b() * c.b() : order.length;
                assertArrayEquals(Arrays.copyOf(order, expectedLength), joined, c::toString);
                for (int step = 0; step < plan.stepsPerEpoch(); step++) {
                    int len = plan.batch(order, step).length;
                    boolean lastPartial = !c.dropLast() && step == plan.stepsPerEpoch() - 1;
                    assertTrue(lastPartial ? len >= 1 && len <= c.b() : len == c.b(), c + " step " + step);
                }
            }
        }
    }

    @Test
    void theOrderIsAPureFunctionOfSeedEpochAndShard() {
        for (Case c : cases()) {
            for (int s = 0; s < c.p(); s++) {
                for (int epoch = 0; epoch < EPOCHS; epoch++) {
                    assertArrayEquals(c.plan(11).order(epoch, s), c.plan(11).order(epoch, s), c::toString);
                    // the memoised order is the one computed afresh (as another JVM would)
                    assertArrayEquals(c.plan(11).computeOrder(epoch, s), c.plan(11).order(epoch, s), c::toString);
                }
            }
        }
    }

    @Test
    void epochsAndSeedsGiveDifferentOrders() {
        int compared = 0;
        for (Case c : cases()) {
            for (int s = 0; s < c.p(); s++) {
                BatchPlan plan = c.plan(5);
                if (plan.shardSize(s) < 10) {
                    continue; // small permutations may legitimately repeat
                }
                int[] e0 = plan.order(0, s);
                assertFalse(Arrays.equals(e0, plan.order(1, s)), c + " shard " + s + ": epochs 0 and 1");
                assertFalse(Arrays.equals(plan.order(1, s), plan.order(2, s)), c + " shard " + s + ": epochs 1 and 2");
                assertFalse(Arrays.equals(e0, c.plan(6).order(0, s)), c + " shard " + s + ": seeds 5 and 6");
                compared++;
            }
        }
        assertTrue(compared > 100, "too few shards of 10 or more examples: " + compared);
    }

    @Test
    void withoutShuffleTheOrderIsTheIdentityPadded() {
        for (Case c : cases()) {
            BatchPlan plan = new BatchPlan(9, c.sizes(), c.b(), c.dropLast(), false);
            for (int s = 0; s < c.p(); s++) {
                int real = plan.shardSize(s);
                int[] expected = IntStream.range(0, plan.samplesPerShard()).map(i -> i % real).toArray();
                assertArrayEquals(expected, plan.order(4, s), c::toString);
            }
        }
    }

    @Test
    void anEmptyDatasetIsRejected() {
        DataException e = assertThrows(DataException.class, () -> new BatchPlan(1, new int[]{0, 0}, 8, false, true));
        assertTrue(e.getMessage().contains("empty dataset"), e.getMessage());
    }

    @Test
    void aShardWithoutExamplesIsRejectedByNameBeforeTraining() {
        DataException e = assertThrows(DataException.class, () -> new BatchPlan(1, new int[]{1, 1, 0}, 8, false, true));
        assertTrue(e.getMessage().contains("training shard 2 of 3 is empty"), e.getMessage());
        assertTrue(e.getMessage().contains("train.workers"), e.getMessage());
    }

    @Test
    void stepsOutsideTheEpochAreRejected() {
        BatchPlan plan = BatchPlan.single(1, 10, 4, false, true);
        int[] order = plan.order(0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan.batch(order, 3));
        assertTrue(e.getMessage().contains("step 3 outside [0, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plan.batch(order, -1));
    }

    @Test
    void dropLastWithABatchLargerThanAShardIsRejected() {
        DataException e = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                () -> new BatchPlan(1, strided(10, 2), 8, true, true));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("yields 5 examples per epoch")
                && e.getMessage().contains("batch size 8") && e.getMessage().contains("drop-last"), e.getMessage());
    }
}
