package dev.sparktrain.job.engine;

import dev.sparktrain.data.Dataset;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * Work on every shard partition as one Spark job, its per-shard results combined on the driver.
 *
 * <p>A round is one such job, so what Spark does per job is paid per round. Spark's closure cleaner
 * re-reads and parses the class file of every Scala closure a job is built from (the Java API's
 * wrappers, treeAggregate's own closures: several per job, milliseconds each), but returns at once for
 * a function object that is not a closure. And a level of treeAggregate's tree is a shuffle stage: a
 * second wave of tasks, worth its cost only when it spares the driver many bytes. So the job is a plain
 * {@code runJob} with this object as the task, its results folded on the driver in partition order
 * (which also makes the sum independent of the order in which tasks finish), unless the tree would add
 * a level ({@link #treeAddsLevel}: not below 6 shards at depth 2) and the shards' results together
 * exceed {@link #TREE_ABOVE_BYTES}; then it is Spark's {@code treeAggregate}. Measured on local[2]
 * (an MLP of 2,000 parameters, 8 shards): 40-47 ms a round folded on the driver, 68-73 ms with the
 * tree.
 *
 * @param <T> a shard's result
 */
public abstract class ShardJob<T> extends AbstractFunction2<TaskContext, scala.collection.Iterator<Dataset>, Object>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The shards' results, in bytes, above which a tree of partial sums is used where it adds a level:
     * about where the driver's deserializing and adding of the extra results (5-15 ms per MB,
     * docs/performance.md section 3) costs what the tree's extra stage does (25-30 ms).
     */
    public static final long TREE_ABOVE_BYTES = 8L << 20;

    /** The task's work: the result of partition {@code shard}, whose data is {@code data}. */
    protected abstract T call(int shard, Iterator<Dataset> data);

    /**
     * What travels for {@code result}, to the driver or as one of the tree's partial sums: the result
     * itself, or an encoding of it that {@link #decode} reverses (round results: raw arrays).
     */
    protected Object encode(T result) {
        return result;
    }

    /** The result {@link #encode} encoded. */
    @SuppressWarnings("unchecked")
    protected T decode(Object sent) {
        return (T) sent;
    }

    /** Combines two results: associative, with {@code zero} its neutral element. */
    public interface Plus<T> extends Function2<T, T, T> {
    }

    @Override
    public final Object apply(TaskContext context, scala.collection.Iterator<Dataset> data) {
        return encode(call(context.partitionId(), new Iterator<>() {
            @Override
            public boolean hasNext() {
                return data.hasNext();
            }

            @Override
            public Dataset next() {
                return data.next();
            }
        }));
    }

    /**
     * Runs this job over {@code shards}: the results folded from {@code zero} in partition order, or,
     * unless {@code ordered}, combined by a tree of depth {@code depth} where the tree adds a level and
     * the results ({@code resultBytes} each, about) exceed {@link #TREE_ABOVE_BYTES} together.
     */
    public T run(JavaSparkContext sc, JavaRDD<Dataset> shards, T zero, Plus<T> plus, boolean ordered, int depth,
                 long resultBytes, Class<T> type) {
        if (!ordered && usesTree(shards.getNumPartitions(), depth, resultBytes)) {
            // the partial sums travel encoded too: each merge decodes two, adds, encodes the sum
            ShardJob<T> self = this;
            Function2<Integer, Iterator<Dataset>, Iterator<Object>> perShard =
                    (shard, data) -> List.of(self.encode(self.call(shard, data))).iterator();
            Function2<Object, Object, Object> merge =
                    (a, b) -> self.encode(plus.call(self.decode(a), self.decode(b)));
            return decode(shards.mapPartitionsWithIndex(perShard, true).treeAggregate(encode(zero), merge, merge,
                    depth));
        }
        Object[] results = (Object[]) sc.sc().runJob(shards.rdd(), this, ClassTag$.MODULE$.apply(Object.class));
        T total = zero;
        for (Object r : results) {
            try {
                total = plus.call(total, type.cast(decode(r)));
            } catch (Exception e) {
                throw new IllegalStateException("cannot combine the shards' results: " + e.getMessage(), e);
            }
        }
        return total;
    }

    /** Whether {@code p} results of {@code resultBytes} each go through Spark's treeAggregate. */
    static boolean usesTree(int p, int depth, long resultBytes) {
        return treeAddsLevel(p, depth) && (double) p * resultBytes > TREE_ABOVE_BYTES;
    }

    /**
     * Whether Spark's treeAggregate of depth {@code depth} over {@code p} partitions adds a level of
     * partial sums before the driver's (its own rule: while p > scale + ceil(p / scale)).
     */
    static boolean treeAddsLevel(int p, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(p, 1.0 / depth)), 2);
        return p > scale + Math.ceil((double) p / scale);
    }
}
