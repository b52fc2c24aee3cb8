package dev.sparktrain.config;

/** Spark settings used when spark-submit did not give them. */
public record SparkConfig(String master, String appName) {
    static SparkConfig read(ConfigReader r) {
        return new SparkConfig(r.string("spark.master"), r.string("spark.app-name"));
    }
}
