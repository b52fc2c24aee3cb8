package dev.sparktrain.job.data;

import dev.sparktrain.data.Record;
import dev.sparktrain.data.format.RecordReader;
import dev.sparktrain.data.format.Source;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag$;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A source's rows as an RDD read by parallel tasks, and what every loader needs around that: the
 * bytes each task read from the file systems (Hadoop's per-thread statistics, summed in an
 * accumulator), and {@code limit} (the first N rows in partition order).
 */
final class SourceRows {
    private SourceRows() {
    }

    /**
     * The rows of a sparktrain-format source: one task per part (a file split, a file, a folder), the
     * Source broadcast once, each task preferring the hosts that hold its part.
     */
    static JavaRDD<Record> of(JavaSparkContext sc, Source source, LongAccumulator bytesRead) {
        Broadcast<Source> bc = sc.broadcast(source);
        List<Tuple2<Integer, Seq<String>>> parts = new ArrayList<>(source.parts());
        for (int i = 0; i < source.parts(); i++) {
            parts.add(new Tuple2<>(i, JavaConverters.asScalaBuffer(List.of(source.hosts(i))).toList()));
        }
        JavaRDD<Integer> ids = JavaRDD.fromRDD(makeRDD(sc, JavaConverters.asScalaBuffer(parts).toList()),
                ClassTag$.MODULE$.apply(Integer.class));
        return ids.mapPartitions(it -> {
            if (!it.hasNext()) {
                return java.util.Collections.emptyIterator();
            }
            RecordReader reader = bc.value().read(it.next());
            closeAtTaskEnd(reader);
            return counted(reader, bytesRead);
        });
    }

    /**
     * {@code SparkContext.makeRDD} with preferred hosts. Its parameter is {@code Seq[(T, Seq[String])]},
     * which is {@code scala.collection.Seq} on Scala 2.12 (Spark 3.5) and {@code scala.collection.immutable.Seq}
     * on 2.13 (Spark 4): the raw call compiles on both, and an immutable List is both at run time.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static org.apache.spark.rdd.RDD<Integer> makeRDD(JavaSparkContext sc, scala.collection.immutable.List parts) {
        return (org.apache.spark.rdd.RDD<Integer>) ((org.apache.spark.SparkContext) sc.sc()).makeRDD(
                (scala.collection.immutable.Seq) parts, (scala.reflect.ClassTag) ClassTag$.MODULE$.apply(Integer.class));
    }

    /** Adds the bytes this task's thread reads from Hadoop file systems while {@code rows} is consumed. */
    static <T> Iterator<T> counted(Iterator<T> rows, LongAccumulator bytesRead) {
        long before = threadBytesRead();
        TaskContext ctx = TaskContext.get();
        if (ctx != null) {
            ctx.addTaskCompletionListener(c -> {
                bytesRead.add(threadBytesRead() - before);
            });
        }
        return rows;
    }

    private static void closeAtTaskEnd(RecordReader reader) {
        TaskContext ctx = TaskContext.get();
        if (ctx != null) {
            ctx.addTaskCompletionListener(c -> {
                reader.close();
            });
        }
    }

    /** Bytes read by this thread from every Hadoop file system (what Spark's input metrics report). */
    static long threadBytesRead() {
        long sum = 0;
        for (FileSystem.Statistics s : FileSystem.getAllStatistics()) {
            sum += s.getThreadStatistics().getBytesRead();
        }
        return sum;
    }

    /** The first {@code n} rows in partition order (0 = all): counts up to n rows per partition, then takes them. */
    static <T> JavaRDD<T> limit(JavaRDD<T> rows, long n) {
        if (n <= 0) {
            return rows;
        }
        List<Long> counts = rows.mapPartitions(it -> {
            long c = 0;
            while (c < n && it.hasNext()) {
                it.next();
                c++;
            }
            return List.of(c).iterator();
        }).collect();
        long[] quota = new long[counts.size()];
        long left = n;
        for (int i = 0; i < quota.length; i++) {
            quota[i] = Math.min(counts.get(i), left);
            left -= quota[i];
        }
        return rows.mapPartitionsWithIndex((i, it) -> take(it, quota[i]), true);
    }

    private static <T> Iterator<T> take(Iterator<T> it, long n) {
        return new Iterator<>() {
            private long taken;

            @Override
            public boolean hasNext() {
                return taken < n && it.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                taken++;
                return it.next();
            }
        };
    }
}
