package dev.sparktrain.ml;

import dev.sparktrain.job.engine.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The tests' SparkSession (on the test JVM's one local[2] context) and small generated tables. */
final class MlTestData {
    static final int FEATURES = 6;

    private MlTestData() {
    }

    static SparkSession spark() {
        return SparkSession.builder().sparkContext(SharedSpark.context().sc()).getOrCreate();
    }

    /**
     * {@code rows} rows of {@code classes} noisy classes: columns x0 .. x5 (doubles, on scales from 1 to
     * 100, so that scaling matters) and label (an int); class c raises the features k with k % classes == c.
     */
    static Dataset<Row> classes(SparkSession spark, int rows, int classes, long seed) {
        Random r = new Random(seed);
        StructType schema = new StructType();
        for (int k = 0; k < FEATURES; k++) {
            schema = schema.add("x" + k, DataTypes.DoubleType);
        }
        schema = schema.add("label", DataTypes.IntegerType);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int label = r.nextInt(classes);
            Object[] v = new Object[FEATURES + 1];
            for (int k = 0; k < FEATURES; k++) {
                v[k] = Math.pow(10, k % 3) * ((k % classes == label ? 1 : 0) + 0.5 * r.nextGaussian());
            }
            v[FEATURES] = label;
            data.add(RowFactory.create(v));
        }
        return spark.createDataFrame(data, schema).repartition(2);
    }

    /** The same shape as an array column {@code features} (floats) and a label. */
    static Dataset<Row> arrays(SparkSession spark, int rows, int width, long seed) {
        Random r = new Random(seed);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int label = r.nextInt(2);
            float[] f = new float[width];
            for (int k = 0; k < width; k++) {
                f[k] = (float) ((k % 2 == label ? 1 : 0) + 0.5 * r.nextGaussian());
            }
            data.add(RowFactory.create(f, label));
        }
        return spark.createDataFrame(data, new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("label", DataTypes.IntegerType));
    }

    /** A regression table: array features, y = 2 x0 - x1 + 0.5 + small noise. */
    static Dataset<Row> regression(SparkSession spark, int rows, long seed) {
        Random r = new Random(seed);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double[] f = new double[4];
            for (int k = 0; k < f.length; k++) {
                f[k] = r.nextGaussian();
            }
            data.add(RowFactory.create(f, 2 * f[0] - f[1] + 0.5 + 0.05 * r.nextGaussian()));
        }
        return spark.createDataFrame(data, new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType)).add("y", DataTypes.DoubleType));
    }
}
