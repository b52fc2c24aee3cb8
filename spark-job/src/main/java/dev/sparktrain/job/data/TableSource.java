package dev.sparktrain.job.data;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Record;
import dev.sparktrain.data.shards.DataPreparation;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spark SQL source as rows: files of any Spark SQL format ({@code data.format = parquet}, orc, json,
 * avro, ...; paths as for every format: files, folders, globs, lists) or a catalog table
 * ({@code data.format = table}: {@code data.table.name}, filtered by {@code data.table.where}). Spark
 * reads them with its own input splits, only the features and label columns (a columnar format reads
 * nothing else); every row is decoded by a {@link RowDecoder}, which names the file it came from.
 */
final class TableSource {
    static final String PARQUET_VECTORED_IO = "parquet.hadoop.vectored.io.enabled";
    private final org.apache.spark.sql.Dataset<Row> source;
    private final String featuresColumn;
    private final String labelColumn;
    private final org.apache.spark.sql.Dataset<Row> frame;
    private final String describe;
    private final RowDecoder decoder;
    private boolean labelled = true;

    private TableSource(org.apache.spark.sql.Dataset<Row> source, String featuresColumn, String labelColumn,
                        org.apache.spark.sql.Dataset<Row> frame, String describe, RowDecoder decoder) {
        this.source = source;
        this.featuresColumn = featuresColumn;
        this.labelColumn = labelColumn;
        this.frame = frame;
        this.describe = describe;
        this.decoder = decoder;
    }

    /** Opens the source of {@code in} on the driver: the schema is read and checked, no rows yet. */
    static TableSource open(SparkSession spark, DataConfig data, DataPreparation.Input in) {
        return open(spark, data, in, false);
    }

    /** With {@code unlabeled}, a source without the label column reads as labelled 0 ({@link #labelled()} false). */
    static TableSource open(SparkSession spark, DataConfig data, DataPreparation.Input in, boolean unlabeled) {
        DataConfig.Table t = data.table();
        org.apache.spark.sql.Dataset<Row> df;
        String describe;
        if (data.format().equals(DataConfig.TABLE)) {
            String name = in.validation() && !t.valName().isEmpty() ? t.valName() : t.name();
            String where = in.validation() ? t.valWhere() : t.where();
            describe = "table " + name + (where.isEmpty() ? "" : " where " + where);
            df = analyzed(() -> spark.table(name), "data.table.name", describe);
            if (!where.isEmpty()) {
                org.apache.spark.sql.Dataset<Row> all = df;
                df = analyzed(() -> all.where(where), in.validation() ? "data.table.val-where" : "data.table.where",
                        describe);
            }
        } else {
            DataConfig.DataSource src = in.source();
            describe = data.format() + " source " + src.describePaths();
            // Parquet's vectored reads (on by default with Spark 4.2's Parquet) happen on threads of their
            // own, where the task's count of bytes read (SourceRows.counted) does not see them
            java.util.Map<String, String> options = new java.util.HashMap<>(t.options());
            options.putIfAbsent(PARQUET_VECTORED_IO, "false");
            df = analyzed(() -> spark.read().format(data.format()).options(options)
                    .load(src.paths().toArray(String[]::new)), src.key() + ".path", describe);
        }
        int[] shape = {data.image().channels(), data.image().height(), data.image().width()};
        boolean labelled = List.of(df.columns()).contains(t.labelColumn());
        if (unlabeled && !labelled) {
            df = df.withColumn(t.labelColumn(), functions.lit(0));
        }
        TableSource source = of(df, t.featuresColumn(), t.labelColumn(), data, shape, describe);
        source.labelled = labelled;
        return source;
    }

    /** Any DataFrame with a features column (numeric array or image bytes) and a label column. */
    static TableSource of(org.apache.spark.sql.Dataset<Row> df, String featuresColumn, String labelColumn,
                          DataConfig data, int[] shape, String describe) {
        StructField features = field(df, featuresColumn, describe, "data.table.features-column");
        StructField label = field(df, labelColumn, describe, "data.table.label-column");
        RowDecoder decoder = new RowDecoder(describe, features, label, data, shape);
        org.apache.spark.sql.Dataset<Row> selected = df.select(functions.col(featuresColumn),
                functions.col(labelColumn), functions.input_file_name());
        return new TableSource(df, featuresColumn, labelColumn, selected, describe, decoder);
    }

    /** False when the source has no label column and was opened to be scored. */
    boolean labelled() {
        return labelled;
    }

    /**
     * Each row's stable id (the one its example gets in the shards) with the source's {@code columns}
     * ({@code predict.keep-columns}); a column the source lacks is named with the source's columns.
     */
    org.apache.spark.sql.Dataset<Row> idsWith(List<String> columns) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("id", DataTypes.LongType, false));
        List<Column> selected = new ArrayList<>(List.of(functions.col(featuresColumn), functions.col(labelColumn),
                functions.input_file_name()));
        for (String c : columns) {
            fields.add(field(source, c, describe, "predict.keep-columns"));
            selected.add(functions.col(c));
        }
        RowDecoder d = decoder;
        JavaRDD<Row> rows = source.select(selected.toArray(Column[]::new)).javaRDD().map(row -> {
            Object[] values = new Object[1 + columns.size()];
            values[0] = d.decode(row).id();
            for (int i = 0; i < columns.size(); i++) {
                values[1 + i] = row.get(3 + i);
            }
            return RowFactory.create(values);
        });
        return source.sparkSession().createDataFrame(rows, DataTypes.createStructType(fields));
    }

    /**
     * The rows, read in parallel by Spark, decoded; the bytes read are added to {@code bytesRead}. A
     * failure of Spark's reader (an unreadable file, a part file whose schema does not fit) becomes a
     * DataException with Spark's message, which names the file.
     */
    JavaRDD<Record> rows(LongAccumulator bytesRead) {
        RowDecoder d = decoder;
        String what = describe;
        return frame.javaRDD().mapPartitions(it -> decoded(SourceRows.counted(it, bytesRead), d, what));
    }

    /** Decodes rows as they are read (a static method: the iterator must not capture this source). */
    private static java.util.Iterator<Record> decoded(java.util.Iterator<Row> rows, RowDecoder d, String what) {
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return rows.hasNext();
                } catch (Exception e) { // Spark's reader throws its checked SparkException undeclared
                    throw readFailure(what, e);
                }
            }

            @Override
            public Record next() {
                Row row;
                try {
                    row = rows.next();
                } catch (Exception e) { // Spark's reader throws its checked SparkException undeclared
                    throw readFailure(what, e);
                }
                return d.decode(row);
            }
        };
    }

    private static RuntimeException readFailure(String describe, Exception e) {
        if (e instanceof DataException d) {
            return d;
        }
        String m = null;
        for (Throwable t = e; t != null && m == null; t = t.getCause()) {
            m = t.getMessage();
        }
        return new DataException("cannot read " + describe + ": " + firstLine(m), e);
    }

    /** The total length of the files Spark will read (-1 when the source is not file-based). */
    long bytes(Configuration conf) {
        String[] files = frame.inputFiles();
        if (files.length == 0) {
            return -1;
        }
        long sum = 0;
        try {
            for (String f : files) {
                Path p = new Path(f);
                sum += p.getFileSystem(conf).getFileStatus(p).getLen();
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    String describe() {
        return describe;
    }

    private interface Frame {
        org.apache.spark.sql.Dataset<Row> get();
    }

    /** Builds a DataFrame (Spark analyzes it eagerly), turning Spark's errors into one naming the key. */
    private static org.apache.spark.sql.Dataset<Row> analyzed(Frame f, String key, String describe) {
        try {
            return f.get();
        } catch (Exception e) { // Scala throws the checked AnalysisException (and ParseException) undeclared
            String m = e instanceof org.apache.spark.sql.AnalysisException a ? a.getSimpleMessage() : e.getMessage();
            throw new DataException(key + ": cannot read " + describe + ": " + firstLine(m), e);
        }
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    private static StructField field(org.apache.spark.sql.Dataset<Row> df, String column, String describe, String key) {
        for (StructField f : df.schema().fields()) {
            if (f.name().equals(column)) {
                return f;
            }
        }
        throw new DataException(describe + ": no column '" + column + "' (" + key + "); its columns are "
                + List.of(df.schema().fieldNames()));
    }
}
