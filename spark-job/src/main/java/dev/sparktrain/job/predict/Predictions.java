package dev.sparktrain.job.predict;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.model.ModelSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Scores shards of examples and writes one row per example (see {@link PredictionSchema}) with
 * Spark's writer: the files appear under the output path only when the job commits, so a failed job
 * leaves no output (and no directory it created).
 */
public final class Predictions {
    /** Formats {@code predict --format} writes. */
    public static final Set<String> FORMATS = Set.of("parquet", "csv");

    private Predictions() {
    }

    /** Refuses an output path that exists, unless it is to be replaced; before any work is done. */
    public static void checkOutput(String out, boolean overwrite, Configuration hadoop) {
        if (!overwrite && exists(out, hadoop)) {
            throw new ConfigException("--out " + out + " already exists: give another path, or --overwrite to "
                    + "replace it");
        }
    }

    /**
     * Scores {@code shards} with the model {@code spec} at {@code params} and writes the rows to
     * {@code out} as {@code format}; returns the number of rows written. With {@code kept} (ids and
     * source columns, see {@code SparkData.idsWithColumns}) each source row gets its example's
     * prediction after those columns.
     */
    public static long write(JavaSparkContext sc, JavaRDD<Dataset> shards, ModelSpec spec, INDArray params,
                             PredictionSchema schema, int batchSize, org.apache.spark.sql.Dataset<Row> kept,
                             String out, String format, boolean overwrite) {
        boolean existed = exists(out, sc.hadoopConfiguration());
        Broadcast<INDArray> bc = sc.broadcast(params);
        try {
            JavaRDD<Row> rows = shards.mapPartitions(new PredictTask(bc, spec, schema, batchSize), true);
            SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
            var frame = spark.createDataFrame(rows, schema.struct());
            if (kept != null) { // rows of equal content are one example: one prediction each
                frame = kept.join(frame.dropDuplicates("id"), "id");
            }
            var writer = frame.write().format(format).mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
            if (format.equals("csv")) {
                writer = writer.option("header", "true");
            }
            writer.save(out);
            return spark.read().format(format).schema(frame.schema()).option("header", "true").load(out).count();
        } catch (RuntimeException e) {
            if (!existed) {
                delete(out, sc.hadoopConfiguration()); // what an aborted job left: an empty directory at most
            }
            throw e;
        } finally {
            bc.destroy();
        }
    }

    private static boolean exists(String out, Configuration hadoop) {
        Path p = new Path(out);
        try {
            return p.getFileSystem(hadoop).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + out, e);
        }
    }

    private static void delete(String out, Configuration hadoop) {
        Path p = new Path(out);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            fs.delete(p, true);
        } catch (IOException e) {
            // the job's own error is the one to report
        }
    }
}
