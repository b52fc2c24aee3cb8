package dev.sparktrain.job.bench;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The data benchmark's dataset: {@code generate OUT ROWS FILES FEATURES} writes a Parquet folder of
 * ROWS rows in FILES part files, a {@code features} column of FEATURES float32 values and a
 * {@code label} in [0, 4): value k of a row of class c is uniform in [0, 1) plus 1 when k mod 4 = c,
 * so a small model learns it. Written by a local Spark of this JVM, deterministic for (ROWS, FILES).
 */
public final class DataBenchmark {
    private DataBenchmark() {
    }

    public static void main(String[] args) {
        if (args.length != 5 || !args[0].equals("generate")) {
            System.err.println("usage: DataBenchmark generate OUT ROWS FILES FEATURES");
            System.exit(2);
        }
        String out = args[1];
        long rows = Long.parseLong(args[2]);
        int files = Integer.parseInt(args[3]);
        int features = Integer.parseInt(args[4]);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("bench-data generate")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Column label = functions.pmod(functions.xxhash64(functions.col("id")), functions.lit(4)).cast("int");
            Column[] values = new Column[features];
            for (int k = 0; k < features; k++) {
                values[k] = functions.rand(k).plus(functions.when(label.equalTo(k % 4), 1).otherwise(0)).cast("float");
            }
            spark.range(0, rows, 1, files)
                    .select(functions.array(values).as("features"), label.as("label"))
                    .write().mode("overwrite").parquet(out);
        } finally {
            spark.stop();
        }
    }
}
