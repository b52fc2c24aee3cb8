package dev.sparktrain.job.data;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.MappedDataset;
import org.apache.spark.SparkEnv;
import org.apache.spark.util.Utils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code data.storage = local-disk}: shards streamed, example by example, into files in the executor's
 * Spark local directory ({@code spark.local.dir}, cleaned by Spark when the application ends) and
 * returned as {@link ExecutorLocalShard} handles, the only thing the RDD caches.
 */
final class LocalDiskShards {
    static final String STORAGE = "local-disk";

    private LocalDiskShards() {
    }

    static boolean enabled(DataConfig data) {
        return data.storage().equals(STORAGE);
    }

    /** The handle of a shard file written in this executor. */
    static Dataset handle(MappedDataset file) {
        return new ExecutorLocalShard(file, ExecutorLocalShard.executorId());
    }

    /** A new file under this executor's Spark local directory. */
    static Path newFile(boolean validation, int shard) {
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            throw new IllegalStateException("data.storage = local-disk writes shards inside Spark tasks only");
        }
        Path dir = Path.of(Utils.getLocalDir(env.conf()), "sparktrain-shards");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("cannot create " + dir + " for data.storage = local-disk: " + e.getMessage(), e);
        }
        return dir.resolve((validation ? "val" : "train") + "-shard-" + shard + "-" + UUID.randomUUID() + ".bin");
    }
}
