package dev.sparktrain.job.trainer;

import dev.sparktrain.trainer.DataInput;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Inputs of a {@code Trainer} that only the {@link SparkBackend} reads. Like every input they go
 * through the same preparation: each row gets its content id and its place in the P shards (the
 * training rows split by {@code data.val-fraction} unless validation rows are given).
 */
public final class SparkInputs {
    private SparkInputs() {
    }

    /**
     * A DataFrame with a features column (an array of numbers; or binary image bytes, with the shape
     * given) and a label column (a class in [0, data.classes), or a value with data.target = value).
     */
    public static Frame frame(org.apache.spark.sql.Dataset<Row> df, String featuresColumn, String labelColumn) {
        return new Frame(df, featuresColumn, labelColumn, null, null);
    }

    /** DL4J DataSets (minibatches, as DL4J's Spark module takes them), one-hot labels. */
    public static DataSets dataSets(JavaRDD<DataSet> batches) {
        return new DataSets(batches, null);
    }

    /** See {@link #frame}; {@code val} (same columns) holds the validation rows when not null. */
    public record Frame(org.apache.spark.sql.Dataset<Row> df, String featuresColumn, String labelColumn,
                        org.apache.spark.sql.Dataset<Row> val, int[] exampleShape) implements DataInput {

        /** Validation rows of their own (instead of data.val-fraction). */
        public Frame withValidation(org.apache.spark.sql.Dataset<Row> validation) {
            return new Frame(df, featuresColumn, labelColumn, validation, exampleShape);
        }

        /** The examples' {channels, height, width} (default: 1 x 1 x the first row's array length). */
        public Frame withShape(int channels, int height, int width) {
            return new Frame(df, featuresColumn, labelColumn, val, new int[]{channels, height, width});
        }

        @Override
        public int[] shape() {
            return exampleShape == null ? null : exampleShape.clone();
        }
    }

    /** See {@link #dataSets}; {@code val} holds the validation minibatches when not null. */
    public record DataSets(JavaRDD<DataSet> batches, JavaRDD<DataSet> val) implements DataInput {

        /** Validation minibatches of their own (instead of data.val-fraction). */
        public DataSets withValidation(JavaRDD<DataSet> validation) {
            return new DataSets(batches, validation);
        }
    }
}
