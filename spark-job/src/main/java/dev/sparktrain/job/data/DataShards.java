package dev.sparktrain.job.data;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.ChannelStats;
import dev.sparktrain.data.DataSources;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.ShardFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The configured training and validation data as RDDs of P partitions, partition s holding shard s
 * as one {@link Dataset} (in memory, or paths read per minibatch for image folders), with transforms
 * attached. Files are read on the executors: tasks carry only the config, and the shards stay
 * persisted where they were read, at the configured storage level. Spark SQL sources (parquet) go
 * through {@link TableShards}; validation data always takes the same path as training data. With
 * {@code data.storage = local-disk}, IDX, CSV and numeric table shards are streamed into files on the
 * executors' local disks and only their handles are cached ({@link LocalDiskShards}).
 */
public final class DataShards {
    private DataShards() {
    }

    /** Training and validation shards. */
    public record Loaded(JavaRDD<Dataset> train, JavaRDD<Dataset> val) {
    }

    public static Loaded load(JavaSparkContext sc, DataConfig data, long seed, int shards) {
        StorageLevel level = storage(data.storage());
        JavaRDD<Dataset> rawTrain = raw(sc, data, true, seed, shards);
        JavaRDD<Dataset> rawVal = raw(sc, data, false, seed, shards);
        if (LocalDiskShards.enabled(data) && data.transforms().normalizeFromTrain()) {
            rawTrain.persist(level); // the statistics and the view read the same files (handles are tiny)
        }
        double[] mean = data.transforms().mean();
        double[] std = data.transforms().std();
        if (data.transforms().normalizeFromTrain()) {
            double scale = data.transforms().scale();
            ChannelStats s = rawTrain.map(d -> ChannelStats.of(d, scale)).reduce(ChannelStats::plus);
            mean = s.mean();
            std = s.std();
        }
        return new Loaded(view(rawTrain, data, true, seed, mean, std, level),
                view(rawVal, data, false, seed, mean, std, level));
    }

    static StorageLevel storage(String name) {
        return switch (name) {
            case "memory-and-disk-ser" -> StorageLevel.MEMORY_AND_DISK_SER();
            case "memory-only", LocalDiskShards.STORAGE -> StorageLevel.MEMORY_ONLY(); // local-disk: handles
            default -> StorageLevel.MEMORY_AND_DISK();
        };
    }

    private static JavaRDD<Dataset> raw(JavaSparkContext sc, DataConfig data, boolean training, long seed,
                                        int shards) {
        if (data.format().equals("parquet")) {
            return TableShards.load(sc, data, training, seed, shards);
        }
        List<Integer> ids = IntStream.range(0, shards).boxed().collect(Collectors.toList());
        boolean disk = LocalDiskShards.enabled(data) && ShardFiles.streams(data.format());
        return sc.parallelize(ids, shards).map(shard -> disk
                ? LocalDiskShards.files(data, training, seed, shard, shards)
                : DataSources.shard(data, training, seed, shard, shards));
    }

    private static JavaRDD<Dataset> view(JavaRDD<Dataset> raw, DataConfig data, boolean training, long seed,
                                         double[] mean, double[] std, StorageLevel level) {
        JavaRDD<Dataset> rdd = raw.map(d -> DataSources.transformed(d, data, training, seed, mean, std));
        rdd.setName((training ? "training" : "validation") + " shards of " + data.format() + " data").persist(level);
        return rdd;
    }
}
