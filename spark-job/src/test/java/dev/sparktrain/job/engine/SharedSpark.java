package dev.sparktrain.job.engine;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.nio.file.Files;

/** One local[2] SparkContext for the whole test JVM (Spark allows one per JVM), stopped at exit. */
public final class SharedSpark {
    private static JavaSparkContext sc;

    private SharedSpark() {
    }

    /**
     * The system properties an embedded command line run in this JVM reads: local[2], no UI, the
     * loopback address.
     */
    public static void forCommandLine() {
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
    }

    public static synchronized JavaSparkContext context() {
        if (sc == null) {
            try {
                SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("sparktrain-tests")
                        .set("spark.ui.enabled", "false")
                        .set("spark.driver.host", "127.0.0.1")
                        .set("spark.driver.bindAddress", "127.0.0.1")
                        .set("spark.local.dir", Files.createTempDirectory("sparktrain-spark").toString())
                        .set("spark.sql.warehouse.dir", Files.createTempDirectory("sparktrain-warehouse").toString());
                sc = new JavaSparkContext(conf);
                Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
            } catch (IOException e) {
                throw new IllegalStateException("cannot create spark.local.dir", e);
            }
        }
        return sc;
    }
}
