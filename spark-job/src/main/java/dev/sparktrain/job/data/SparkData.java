package dev.sparktrain.job.data;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.ChannelStats;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.MappedDataset;
import dev.sparktrain.data.Record;
import dev.sparktrain.data.format.DataFormats;
import dev.sparktrain.data.format.Source;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.data.shards.ShardBuilder;
import dev.sparktrain.data.shards.ShardLayout;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.reflect.ClassTag$;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The run's data as RDDs of P training and P validation shards, each partition one {@link Dataset}:
 * {@link DataPreparation}'s step run by Spark. Every source (training, and validation unless split off
 * it) is read once, in parallel, by tasks over its input splits (sparktrain's formats: one task per
 * part of its {@link Source}; Spark SQL sources: Spark's own scan); each row is keyed by the partition
 * the {@link ShardLayout} gives it and moved once, by one shuffle, to the task that builds that shard,
 * which receives its rows in id order. Nothing of the data passes through the driver; the driver holds
 * the file listing and 2P shard sizes. The shards stay persisted on the executors at the configured
 * storage level ({@code local-disk}: in files on the executors' local disks, only handles cached).
 */
public final class SparkData {
    private static final Logger LOG = LoggerFactory.getLogger(SparkData.class);

    private SparkData() {
    }

    /**
     * Training and validation shards, seen through the transforms, and their sizes. {@code raw} is the
     * persisted RDD of all 2P shards; {@code sourceBytes} the sources' size and {@code bytesRead} the
     * bytes the load read from the file systems (both -1 when unknown).
     */
    public record Loaded(JavaRDD<Dataset> train, JavaRDD<Dataset> val, int[] trainSizes, int[] valSizes,
                         JavaRDD<Dataset> raw, long sourceBytes, long bytesRead) {

        public long trainSize() {
            return Arrays.stream(trainSizes).asLongStream().sum();
        }

        public long valSize() {
            return Arrays.stream(valSizes).asLongStream().sum();
        }

        /** Drops the cached shards. */
        public void unpersist() {
            raw.unpersist(false);
        }
    }

    public static Loaded load(JavaSparkContext sc, DataConfig data, long seed, int shards) {
        long t0 = System.nanoTime();
        DataPreparation prep = new DataPreparation(data, seed, shards);
        ShardLayout layout = prep.layout();
        HadoopConf conf = HadoopConf.of(sc.hadoopConfiguration());
        LongAccumulator bytesRead = sc.sc().longAccumulator("sparktrain source bytes read");
        JavaPairRDD<RowKey, Record> keyed = null;
        int[] shape = null;
        long sourceBytes = 0;
        for (DataPreparation.Input in : prep.inputs()) {
            Input read = read(sc, prep, in, conf, bytesRead);
            DataPreparation.checkShape(shape, read.shape(), in, read.describe());
            shape = read.shape();
            sourceBytes = sourceBytes < 0 || read.bytes() < 0 ? -1 : sourceBytes + read.bytes();
            JavaPairRDD<RowKey, Record> k = SourceRows.limit(read.rows(), in.source().limit())
                    .mapToPair(r -> new Tuple2<>(new RowKey(prep.partition(r, in), r.id()), r));
            keyed = keyed == null ? k : keyed.union(k);
        }
        int[] rowShape = shape;
        int targetSize = prep.targetSize();
        boolean disk = LocalDiskShards.enabled(data);
        JavaRDD<Dataset> raw = keyed
                .repartitionAndSortWithinPartitions(new RowKey.ByPartition(layout.partitions()), new RowKey.ById())
                .mapPartitionsWithIndex((p, it) -> List.of(build(p, it, layout, rowShape, targetSize, conf, disk))
                        .iterator(), true);
        raw.setName("training and validation shards of " + data.format() + " data").persist(storage(data.storage()));
        List<Integer> sizes;
        try {
            sizes = raw.map(Dataset::size).collect(); // reads, moves and builds everything
        } catch (RuntimeException e) {
            raw.unpersist(false);
            throw e;
        }
        int[] trainSizes = sizes.subList(0, shards).stream().mapToInt(Integer::intValue).toArray();
        int[] valSizes = sizes.subList(shards, 2 * shards).stream().mapToInt(Integer::intValue).toArray();
        Loaded loaded = views(prep, raw, trainSizes, valSizes, sourceBytes, bytesRead.value());
        LOG.info(String.format(Locale.ROOT, "loaded %,d training and %,d validation examples into %d + %d shards in "
                        + "%.1f s; read %s from sources of %s%s", loaded.trainSize(), loaded.valSize(), shards, shards,
                (System.nanoTime() - t0) / 1e9, mib(loaded.bytesRead()), mib(sourceBytes),
                sourceBytes > 0 ? String.format(Locale.ROOT, " (%.2f x)", (double) loaded.bytesRead() / sourceBytes) : ""));
        try {
            prep.checkNotEmpty(loaded.trainSize(), loaded.valSize());
        } catch (DataException e) {
            loaded.unpersist();
            throw e;
        }
        return loaded;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "(unknown size)" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** A source's rows and what the driver knows of it. */
    private record Input(JavaRDD<Record> rows, int[] shape, long bytes, String describe) {
    }

    private static Input read(JavaSparkContext sc, DataPreparation prep, DataPreparation.Input in, HadoopConf conf,
                              LongAccumulator bytesRead) {
        DataConfig data = prep.data();
        if (DataFormats.lookup(data.format()).isPresent()) {
            Source source = DataFormats.open(data, in.source(), conf);
            return new Input(SourceRows.of(sc, source, bytesRead), source.shape(), source.bytes(), source.describe());
        }
        TableSource table = TableSource.open(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), data, in);
        return new Input(table.rows(bytesRead), prep.imageShape(), table.bytes(conf.get()), table.describe());
    }

    /** Builds partition {@code p}'s shard from its rows, which arrive in id order. */
    private static Dataset build(int p, Iterator<Tuple2<RowKey, Record>> rows, ShardLayout layout, int[] shape,
                                 int targetSize, HadoopConf conf, boolean disk) {
        Iterator<Record> records = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Record next() {
                return rows.next()._2();
            }
        };
        Path file = disk ? LocalDiskShards.newFile(layout.isValidation(p), layout.shardOf(p)) : null;
        Dataset shard = ShardBuilder.build(records, shape, targetSize, conf, file);
        return shard instanceof MappedDataset m ? LocalDiskShards.handle(m) : shard;
    }

    private static Loaded views(DataPreparation prep, JavaRDD<Dataset> raw, int[] trainSizes, int[] valSizes,
                                long sourceBytes, long bytesRead) {
        int shards = trainSizes.length;
        JavaRDD<Dataset> rawTrain = pruned(raw, 0, shards);
        JavaRDD<Dataset> rawVal = pruned(raw, shards, 2 * shards);
        double scale = prep.data().transforms().scale();
        double[][] norm = prep.normalization(() -> rawTrain.map(d -> ChannelStats.of(d, scale)).reduce(ChannelStats::plus));
        JavaRDD<Dataset> train = rawTrain.map(d -> prep.view(d, true, norm));
        JavaRDD<Dataset> val = rawVal.map(d -> prep.view(d, false, norm));
        train.setName("training shards");
        val.setName("validation shards");
        return new Loaded(train, val, trainSizes, valSizes, raw, sourceBytes, bytesRead);
    }

    /** Partitions [from, to) of {@code rdd} as an RDD of their own (a narrow dependency: no data moves). */
    private static JavaRDD<Dataset> pruned(JavaRDD<Dataset> rdd, int from, int to) {
        PartitionRange keep = new PartitionRange(from, to);
        return JavaRDD.fromRDD(PartitionPruningRDD.create(rdd.rdd(), keep), ClassTag$.MODULE$.apply(Dataset.class));
    }

    /** Keeps partition indices in [from, to). */
    private static final class PartitionRange extends scala.runtime.AbstractFunction1<Object, Object>
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final int from;
        private final int to;

        PartitionRange(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public Object apply(Object index) {
            int i = (Integer) index;
            return i >= from && i < to;
        }
    }

    static StorageLevel storage(String name) {
        return switch (name) {
            case "memory-and-disk-ser" -> StorageLevel.MEMORY_AND_DISK_SER();
            case "memory-only", LocalDiskShards.STORAGE -> StorageLevel.MEMORY_ONLY(); // local-disk: handles
            default -> StorageLevel.MEMORY_AND_DISK();
        };
    }
}
