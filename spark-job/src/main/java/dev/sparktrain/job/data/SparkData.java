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
import org.apache.spark.sql.Row;
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
     * Training and validation shards, seen through the transforms, and their sizes; {@code trainUnaugmented}
     * is the training shards without random augmentation (for scoring them). {@code raw} is the
     * persisted RDD of all 2P shards; {@code sourceBytes} the sources' size and {@code bytesRead} the
     * bytes the load read from the file systems (both -1 when unknown).
     */
    public record Loaded(JavaRDD<Dataset> train, JavaRDD<Dataset> val, JavaRDD<Dataset> trainUnaugmented,
                         int[] trainSizes, int[] valSizes, JavaRDD<Dataset> raw, long sourceBytes, long bytesRead) {

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

    /** The sources the config names, read in parallel by tasks. */
    public static Loaded load(JavaSparkContext sc, DataConfig data, long seed, int shards) {
        return load(sc, data, seed, shards, false);
    }

    /**
     * As {@link #load(JavaSparkContext, DataConfig, long, int)}; with {@code unlabeled}, a Spark SQL
     * source without the label column is read too, every row labelled 0 (for scoring: see
     * {@link #labelled}).
     */
    public static Loaded load(JavaSparkContext sc, DataConfig data, long seed, int shards, boolean unlabeled) {
        DataPreparation prep = new DataPreparation(data, seed, shards);
        HadoopConf conf = HadoopConf.of(sc.hadoopConfiguration());
        LongAccumulator bytesRead = bytesRead(sc);
        List<RowSource> sources = new java.util.ArrayList<>();
        for (DataPreparation.Input in : prep.inputs()) {
            sources.add(read(sc, prep, in, conf, bytesRead, unlabeled));
        }
        return load(sc, prep, sources, bytesRead);
    }

    /** Whether every configured source has labels (sparktrain's own formats always do). */
    public static boolean labelled(JavaSparkContext sc, DataConfig data, long seed, int shards) {
        if (!data.sparkSql()) {
            return true;
        }
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        return new DataPreparation(data, seed, shards).inputs().stream()
                .allMatch(in -> TableSource.open(spark, data, in, true).labelled());
    }

    /**
     * The stable id of every row of the configured Spark SQL sources (training, and validation unless
     * split off it) with the source's {@code columns}, for {@code predict.keep-columns}.
     */
    public static org.apache.spark.sql.Dataset<Row> idsWithColumns(JavaSparkContext sc, DataConfig data, long seed,
                                                                 int shards, List<String> columns) {
        if (!data.sparkSql()) {
            throw new dev.sparktrain.config.ConfigException("predict.keep-columns takes columns of a Spark SQL "
                    + "source (data.format parquet, orc, json, table, ...); data.format = " + data.format()
                    + " rows carry their id only");
        }
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        org.apache.spark.sql.Dataset<Row> all = null;
        for (DataPreparation.Input in : new DataPreparation(data, seed, shards).inputs()) {
            org.apache.spark.sql.Dataset<Row> rows = TableSource.open(spark, data, in, true).idsWith(columns);
            all = all == null ? rows : all.union(rows);
        }
        return all;
    }

    /** An accumulator for the bytes the sources' readers read (tasks add to it). */
    public static LongAccumulator bytesRead(JavaSparkContext sc) {
        return sc.sc().longAccumulator("sparktrain source bytes read");
    }

    /**
     * A source's rows and what the driver knows of it: the examples' shape, the source's size in bytes
     * (-1: unknown), a description for messages, and its role (training source, or all validation).
     */
    public record RowSource(JavaRDD<Record> rows, int[] shape, long bytes, String describe,
                            DataPreparation.Input input) {
    }

    /**
     * Any sources' rows (a configured source, a DataFrame, an RDD of DataSets) into P training and P
     * validation shards by {@code prep}'s rule; {@code bytesRead} is the accumulator their readers add to.
     */
    public static Loaded load(JavaSparkContext sc, DataPreparation prep, List<RowSource> sources,
                              LongAccumulator bytesRead) {
        long t0 = System.nanoTime();
        DataConfig data = prep.data();
        int shards = prep.layout().shards();
        ShardLayout layout = prep.layout();
        HadoopConf conf = HadoopConf.of(sc.hadoopConfiguration());
        JavaPairRDD<RowKey, Record> keyed = null;
        int[] shape = null;
        long sourceBytes = 0;
        for (RowSource read : sources) {
            DataPreparation.Input in = read.input();
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

    /**
     * A DataFrame with a features column (numeric array, or image bytes) and a label column, as rows of
     * {@code shape} ({c, h, w}) for {@code in}'s role.
     */
    public static RowSource frame(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df, String featuresColumn,
                                  String labelColumn, DataPreparation prep, int[] shape, DataPreparation.Input in,
                                  LongAccumulator bytesRead) {
        String describe = (in.validation() ? "the validation" : "the training") + " DataFrame";
        TableSource t = TableSource.of(df, featuresColumn, labelColumn, prep.data(), shape, describe);
        return new RowSource(t.rows(bytesRead), shape, -1, describe, in);
    }

    /** DL4J DataSets (minibatches) as rows for {@code in}'s role; their shape is the first one's. */
    public static RowSource dataSets(JavaRDD<org.nd4j.linalg.dataset.DataSet> batches, DataPreparation prep,
                                     DataPreparation.Input in) {
        int[] shape = dataSetShape(batches);
        int classes = prep.data().classes();
        boolean values = prep.data().valueTarget();
        return new RowSource(batches.mapPartitions(it -> DataSetRows.rows(it, classes, values)), shape, -1,
                "an RDD of DataSets", in);
    }

    /** The examples' shape of DataSets: the first minibatch's features without the batch dimension. */
    public static int[] dataSetShape(JavaRDD<org.nd4j.linalg.dataset.DataSet> batches) {
        try {
            return DataSetRows.shape(batches.first());
        } catch (UnsupportedOperationException e) { // Spark's message for first() of an empty RDD
            throw new DataException("the RDD of DataSets is empty", e);
        }
    }

    /** The examples' shape of a DataFrame's features: a numeric array's length in its first row (1 x 1 x n). */
    public static int[] frameShape(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df, String featuresColumn) {
        org.apache.spark.sql.Row first;
        try {
            first = df.select(featuresColumn).first();
        } catch (java.util.NoSuchElementException e) {
            throw new DataException("the DataFrame has no rows", e);
        }
        if (first.isNullAt(0) || !(first.get(0) instanceof scala.collection.Seq<?>)) {
            throw new DataException("the DataFrame's column '" + featuresColumn + "' does not hold a numeric array in "
                    + "its first row: give the examples' shape (channels, height, width)");
        }
        return new int[]{1, 1, first.getList(0).size()};
    }

    private static RowSource read(JavaSparkContext sc, DataPreparation prep, DataPreparation.Input in,
                                  HadoopConf conf, LongAccumulator bytesRead, boolean unlabeled) {
        DataConfig data = prep.data();
        if (DataFormats.lookup(data.format()).isPresent()) {
            Source source = DataFormats.open(data, in.source(), conf);
            return new RowSource(SourceRows.of(sc, source, bytesRead), source.shape(), source.bytes(),
                    source.describe(), in);
        }
        TableSource table = TableSource.open(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), data, in,
                unlabeled);
        return new RowSource(table.rows(bytesRead), prep.imageShape(), table.bytes(conf.get()), table.describe(), in);
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
        JavaRDD<Dataset> trainUnaugmented = rawTrain.map(d -> prep.view(d, false, norm));
        train.setName("training shards");
        val.setName("validation shards");
        return new Loaded(train, val, trainUnaugmented, trainSizes, valSizes, raw, sourceBytes, bytesRead);
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
