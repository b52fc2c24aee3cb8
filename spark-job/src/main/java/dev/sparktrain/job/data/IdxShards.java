package dev.sparktrain.job.data;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.IdxReader;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * An IDX file pair as an RDD of P partitions, partition s holding shard s (global indices i with
 * i mod P = s) as one {@link ArrayDataset}. Each executor reads its shard from the file system; the
 * tasks carry only the file URIs, and the shards stay cached where they were read.
 */
public final class IdxShards {
    private IdxShards() {
    }

    public static JavaRDD<ArrayDataset> load(JavaSparkContext sc, DataConfig.DataSource source, int classes,
                                             int shards, StorageLevel level) {
        List<Integer> ids = IntStream.range(0, shards).boxed().collect(Collectors.toList());
        String images = source.images();
        String labels = source.labels();
        int limit = source.limit();
        JavaRDD<ArrayDataset> rdd = sc.parallelize(ids, shards)
                .map(shard -> IdxReader.readShard(images, labels, limit, classes, shard, shards));
        rdd.setName("shards of " + images).persist(level);
        return rdd;
    }
}
