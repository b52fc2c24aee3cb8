package dev.sparktrain.job.data;

import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.MappedDataset;
import org.apache.spark.SparkEnv;

/**
 * A shard in a {@link MappedDataset} file on the local disk of the executor that wrote it
 * ({@code data.storage = local-disk}). Spark caches only this handle. Used in another executor (Spark
 * fetched the cached handle from the writer's block manager because the task ran elsewhere) or after
 * its file is gone, the first access fails with a {@link DataException} naming the file and both
 * executors: the task fails and Spark retries it. A lost executor takes its cached handles with it, so
 * Spark recomputes those partitions, re-reading the source into a new file.
 */
final class ExecutorLocalShard implements Dataset {
    private static final long serialVersionUID = 1L;
    private final MappedDataset data;
    private final String writer;
    private transient volatile boolean checked;

    ExecutorLocalShard(MappedDataset data, String writer) {
        this.data = data;
        this.writer = writer;
    }

    /** The executor id of this JVM ("driver" in local mode), or a placeholder outside Spark. */
    static String executorId() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "(none: no SparkEnv in this JVM)" : env.executorId();
    }

    MappedDataset file() {
        return data;
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public int[] shape() {
        return data.shape();
    }

    @Override
    public Example get(int i) {
        if (!checked) {
            check();
        }
        return data.get(i);
    }

    private void check() {
        String here = executorId();
        if (!here.equals(writer)) {
            throw new DataException("shard file " + data.path() + " is on the local disk of executor " + writer
                    + ", but this task runs on executor " + here + " (Spark fetched the cached shard from executor "
                    + writer + "; data.storage = local-disk needs each task on the executor holding its shard): "
                    + "Spark retries the task; raise spark.locality.wait (e.g. 30s) so that tasks wait for that "
                    + "executor");
        }
        if (!data.exists()) {
            throw new DataException("shard file " + data.path() + " of executor " + writer + " is gone (this task "
                    + "runs on executor " + here + "; its Spark local directory was cleaned?): Spark retries the "
                    + "task; unpersist and reload the data to rewrite it; see also spark.locality.wait");
        }
        checked = true;
    }
}
