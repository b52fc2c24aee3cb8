package dev.sparktrain.job.engine;

import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.Dataset;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardJobTest {

    /** Shard i holds i + 1 examples. */
    private static JavaRDD<Dataset> shards(int p) {
        List<Dataset> list = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            int n = i + 1;
            list.add(new ArrayDataset(new float[n], new int[n], new long[n], 1, 1, 1));
        }
        return SharedSpark.context().parallelize(list, p);
    }

    /** "shard:size" of each partition: a result whose sum (concatenation) shows the order. */
    private static final class Describe extends ShardJob<String> {
        @Override
        protected String call(int shard, Iterator<Dataset> data) {
            return "[" + shard + ":" + ShardData.only(data, shard).size() + "]";
        }
    }

    /** The examples of each partition. */
    private static final class Count extends ShardJob<Long> {
        @Override
        protected Long call(int shard, Iterator<Dataset> data) {
            return (long) ShardData.only(data, shard).size();
        }
    }

    @Test
    void fewShardsAreFoldedOnTheDriverInPartitionOrder() {
        for (int p : new int[]{1, 2, 3, 5}) {
            assertFalse(ShardJob.treeAddsLevel(p, 2));
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < p; i++) {
                expected.append("[").append(i).append(":").append(i + 1).append("]");
            }
            // concatenation is not commutative: only partition order gives this string, every time
            for (int repeat = 0; repeat < 3; repeat++) {
                assertEquals(expected.toString(), new Describe().run(SharedSpark.context(), shards(p), "",
                        String::concat, false, 2, 1L << 30, String.class));
            }
        }
    }

    @Test
    void orderedIsPartitionOrderAtAnyCount() {
        assertTrue(ShardJob.treeAddsLevel(8, 2));
        String s = new Describe().run(SharedSpark.context(), shards(8), "", String::concat, true, 2, 1L << 30, String.class);
        assertEquals("[0:1][1:2][2:3][3:4][4:5][5:6][6:7][7:8]", s);
    }

    @Test
    void manyShardsGoThroughSparksTreeWithTheSameTotal() {
        for (int p : new int[]{6, 8, 17}) {
            assertEquals((long) p * (p + 1) / 2, new Count().run(SharedSpark.context(), shards(p), 0L, Long::sum, false,
                    p > 16 ? 3 : 2, 1L << 30, Long.class));
        }
    }

    @Test
    void smallResultsSkipTheTree() {
        assertFalse(ShardJob.usesTree(8, 2, 176_000));    // LeNet's gradient: 1.4 MB in all, to the driver
        assertTrue(ShardJob.usesTree(8, 2, 1_680_000));   // 420k parameters: 13 MB in all, through the tree
        assertFalse(ShardJob.usesTree(5, 2, 1L << 30));   // no level to add
        // folded on the driver: partition order even with 8 shards
        assertEquals("[0:1][1:2][2:3][3:4][4:5][5:6][6:7][7:8]", new Describe().run(SharedSpark.context(), shards(8),
                "", String::concat, false, 2, 100, String.class));
    }

    /** Answers every round with the request's parameters as its gradient sum. */
    private static final class Echo extends RoundJob {
        Echo(org.apache.spark.broadcast.Broadcast<RawMessage> request) {
            super(request);
        }

        @Override
        protected dev.sparktrain.train.RoundResult call(int shard, Iterator<Dataset> data) {
            return new dev.sparktrain.train.RoundResult.Gradients(request().params(), shard, 1);
        }
    }

    @Test
    void roundResultsCrossEitherWayRaw() {
        // 8 shards of 300,000 floats: 9.6 MB, so through Spark's tree, its partial sums encoded too
        org.nd4j.linalg.api.ndarray.INDArray params = org.nd4j.linalg.factory.Nd4j.arange(300_000)
                .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).fmodi(101); // small integers: exact sums
        long bytes = params.length() * 4;
        for (boolean tree : new boolean[]{true, false}) {
            assertEquals(tree, ShardJob.usesTree(8, 2, tree ? bytes : 1000));
            var bc = SharedSpark.context().broadcast(RawMessage.of(dev.sparktrain.train.RoundRequest.synchronous(0, 0,
                    params)));
            var r = (dev.sparktrain.train.RoundResult.Gradients) new Echo(bc).run(SharedSpark.context(), shards(8),
                    dev.sparktrain.train.RoundResult.zero(), dev.sparktrain.train.RoundResult::plus, false, 2,
                    tree ? bytes : 1000, dev.sparktrain.train.RoundResult.class);
            bc.destroy();
            assertEquals(params.mul(8), r.sum());
            assertEquals(0 + 1 + 2 + 3 + 4 + 5 + 6 + 7, r.lossSum());
            assertEquals(8, r.count());
        }
    }

    @Test
    void treeLevelsFollowSparksRule() {
        // Spark's treeAggregate: scale = max(ceil(p^(1/depth)), 2); a level while p > scale + ceil(p / scale)
        assertFalse(ShardJob.treeAddsLevel(4, 2));
        assertFalse(ShardJob.treeAddsLevel(5, 2));
        assertTrue(ShardJob.treeAddsLevel(6, 2));
        assertTrue(ShardJob.treeAddsLevel(16, 2));
        assertFalse(ShardJob.treeAddsLevel(4, 3));
        assertTrue(ShardJob.treeAddsLevel(32, 3));
    }
}
