package dev.sparktrain.job.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;

/** The Hadoop settings of a command without a SparkContext: the {@code spark.hadoop.*} keys spark-submit passes. */
final class HadoopSettings {
    private HadoopSettings() {
    }

    static Configuration fromSparkConf() {
        Configuration hadoop = new Configuration();
        for (scala.Tuple2<String, String> kv : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
            hadoop.set(kv._1(), kv._2());
        }
        return hadoop;
    }
}
