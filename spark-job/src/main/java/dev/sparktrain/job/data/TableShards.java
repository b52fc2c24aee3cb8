package dev.sparktrain.job.data;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Split;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A Parquet table (or any Spark SQL source) with a features column (array of numbers, or image bytes)
 * and a label column, as P shards: row g (in the source's order) takes position j in its part of the
 * train/validation split and goes to shard j mod P, as with files. Rows move between executors once
 * (a shuffle), then each shard is one {@link Dataset}: decoded features in memory, or image bytes
 * kept encoded and decoded per minibatch. With {@code data.storage = local-disk} decoded features
 * stream into a file on the executor ({@link LocalDiskShards}); image bytes stay encoded in memory
 * (compact already).
 */
public final class TableShards {
    private TableShards() {
    }

    public static JavaRDD<Dataset> load(JavaSparkContext sc, DataConfig data, boolean training, long seed,
                                        int shards) {
        boolean split = data.valFraction() > 0;
        DataConfig.DataSource src = training || split ? data.train() : data.val();
        DataConfig.Table t = data.table();
        org.apache.spark.sql.Dataset<Row> df = read(sc, t.sourceFormat(), src.path());
        StructField features = field(df, t.featuresColumn(), src.path());
        StructField label = field(df, t.labelColumn(), src.path());
        RowDecoder decoder = new RowDecoder(src.path(), features, label, data);
        JavaPairRDD<Row, Long> indexed = df.select(t.featuresColumn(), t.labelColumn()).javaRDD().zipWithIndex();
        long rows = indexed.count();
        long n = src.limit() > 0 ? Math.min(rows, src.limit()) : rows;
        if (n == 0) {
            throw new DataException("empty dataset: " + src.path() + " has no rows");
        }
        if (n > Integer.MAX_VALUE) {
            throw new DataException(src.path() + ": " + n + " rows, at most " + Integer.MAX_VALUE + " are supported");
        }
        int[] positions = positions((int) n, split ? data.valFraction() : 0, training, seed);
        Broadcast<int[]> pos = sc.broadcast(positions);
        boolean disk = LocalDiskShards.enabled(data) && !decoder.keepsEncoded();
        return indexed
                .filter(e -> e._2() < n && (pos.value() == null || pos.value()[(int) (long) e._2()] >= 0))
                .mapToPair(e -> {
                    int g = (int) (long) e._2();
                    int j = pos.value() == null ? g : pos.value()[g];
                    return new Tuple2<>(j % shards, new Tuple2<>(j, new Tuple2<>(g, e._1())));
                })
                .partitionBy(new HashPartitioner(shards))
                .mapPartitionsWithIndex((shard, it) -> {
                    if (disk) {
                        return List.of(LocalDiskShards.rows(decoder, new Positions(it), training, shard, shards))
                                .iterator();
                    }
                    List<Tuple2<Integer, Tuple2<Integer, Row>>> mine = new ArrayList<>();
                    it.forEachRemaining(e -> mine.add(e._2()));
                    mine.sort(Comparator.comparing(Tuple2::_1));
                    return List.<Dataset>of(decoder.shard(mine, shard, shards)).iterator();
                }, true);
    }

    /** The (position, (source row, row)) values of the shuffled pairs. */
    private record Positions(java.util.Iterator<Tuple2<Integer, Tuple2<Integer, Tuple2<Integer, Row>>>> pairs)
            implements java.util.Iterator<Tuple2<Integer, Tuple2<Integer, Row>>> {
        @Override
        public boolean hasNext() {
            return pairs.hasNext();
        }

        @Override
        public Tuple2<Integer, Tuple2<Integer, Row>> next() {
            return pairs.next()._2();
        }
    }

    /** For each source row, its position in the split's part (-1 = the other part); null = no split. */
    static int[] positions(int n, double valFraction, boolean training, long seed) {
        if (valFraction <= 0) {
            return null;
        }
        Split s = Split.of(n, valFraction, seed);
        int[] part = training ? s.train() : s.val();
        int[] pos = new int[n];
        java.util.Arrays.fill(pos, -1);
        for (int j = 0; j < part.length; j++) {
            pos[part[j]] = j;
        }
        return pos;
    }

    private static org.apache.spark.sql.Dataset<Row> read(JavaSparkContext sc, String format, String path) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        try {
            return spark.read().format(format).load(path);
        } catch (Exception e) { // Scala throws the checked AnalysisException undeclared
            String m = e instanceof org.apache.spark.sql.AnalysisException a ? a.getSimpleMessage() : e.getMessage();
            throw new DataException("cannot read " + format + " table " + path + ": " + m, e);
        }
    }

    private static StructField field(org.apache.spark.sql.Dataset<Row> df, String column, String path) {
        for (StructField f : df.schema().fields()) {
            if (f.name().equals(column)) {
                return f;
            }
        }
        throw new DataException(path + ": no column '" + column + "' (data.table), the table has "
                + List.of(df.schema().fieldNames()));
    }
}
