package dev.sparktrain.job.engine;

import dev.sparktrain.config.ConfigException;
import org.apache.spark.SparkConf;

import java.util.List;

/**
 * Whether resident rounds may use their own TCP channel between the driver and the tasks. That channel
 * authenticates every task with the job's secret but is not encrypted, so when the cluster asks Spark
 * for encrypted traffic it is not used: {@code train.rounds = auto} sends rounds as Spark jobs (through
 * Spark's own, encrypted, channels) and {@code resident} is refused before any work, naming the setting.
 */
public final class RoundsChannel {
    /** Spark's settings that ask for encrypted traffic between its processes. */
    static final List<String> ENCRYPTION = List.of("spark.network.crypto.enabled", "spark.ssl.rpc.enabled",
            "spark.ssl.enabled");

    private RoundsChannel() {
    }

    /** The first of Spark's encryption settings that {@code conf} turns on, or null. */
    static String encryptionAsked(SparkConf conf) {
        for (String key : ENCRYPTION) {
            if (conf.getBoolean(key, false)) {
                return key;
            }
        }
        return null;
    }

    /**
     * Whether rounds in mode {@code rounds} (train.rounds) may go through the plain channel under
     * {@code conf}; refuses {@code resident} where Spark is asked to encrypt.
     */
    public static boolean plainAllowed(String rounds, SparkConf conf) {
        String asked = encryptionAsked(conf);
        if (asked == null || rounds.equals("jobs")) {
            return asked == null;
        }
        if (rounds.equals("resident")) {
            throw new ConfigException("train.rounds = resident sends rounds over a TCP connection that is "
                    + "authenticated but not encrypted, and " + asked + " = true asks Spark for encrypted traffic: "
                    + "set train.rounds = auto or jobs (rounds then go through Spark's own encrypted channels)");
        }
        return false;
    }
}
