package dev.sparktrain.job.data;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.MappedDatasetWriter;
import dev.sparktrain.data.ShardFiles;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.Row;
import org.apache.spark.util.Utils;
import scala.Tuple2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
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

    /** Shard s of P of the configured IDX or CSV files. */
    static Dataset files(DataConfig data, boolean training, long seed, int shard, int shards) {
        Path file = newFile(training, shard);
        return new ExecutorLocalShard(ShardFiles.write(data, training, seed, shard, shards, file),
                ExecutorLocalShard.executorId());
    }

    /** Table rows (position j in the split part, (source row g, row)) of one shard, in any order. */
    static Dataset rows(RowDecoder decoder, Iterator<Tuple2<Integer, Tuple2<Integer, Row>>> rows, boolean training,
                        int shard, int shards) {
        Path file = newFile(training, shard);
        MappedDatasetWriter writer = new MappedDatasetWriter(file, decoder.shape(), decoder.targetSize());
        try {
            while (rows.hasNext()) {
                Tuple2<Integer, Tuple2<Integer, Row>> e = rows.next();
                int j = e._1();
                if (j % shards != shard) {
                    throw new IllegalStateException("shard " + shard + " of " + shards + " received position " + j);
                }
                writer.put(j / shards, decoder.example(e._2()._1(), e._2()._2()));
            }
            return new ExecutorLocalShard(writer.finish(), ExecutorLocalShard.executorId());
        } catch (RuntimeException e) {
            writer.close();
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the abandoned file goes with the local directory
            }
            throw e;
        }
    }

    /** A new file under this executor's Spark local directory. */
    static Path newFile(boolean training, int shard) {
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
        return dir.resolve((training ? "train" : "val") + "-shard-" + shard + "-" + UUID.randomUUID() + ".bin");
    }
}
