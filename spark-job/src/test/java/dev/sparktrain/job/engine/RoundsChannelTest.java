package dev.sparktrain.job.engine;

import dev.sparktrain.config.ConfigException;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundsChannelTest {

    @Test
    void withoutEncryptionEveryModeMayUseThePlainChannel() {
        SparkConf conf = new SparkConf(false).set("spark.network.crypto.enabled", "false");
        assertTrue(RoundsChannel.plainAllowed("auto", conf));
        assertTrue(RoundsChannel.plainAllowed("resident", conf));
    }

    @Test
    void encryptedClustersGetRoundsThroughSparkOrARefusalNamingTheSetting() {
        for (String key : RoundsChannel.ENCRYPTION) {
            SparkConf conf = new SparkConf(false).set(key, "true");
            assertEquals(key, RoundsChannel.encryptionAsked(conf));
            assertFalse(RoundsChannel.plainAllowed("auto", conf), key);
            assertFalse(RoundsChannel.plainAllowed("jobs", conf), key);
            ConfigException e = assertThrows(ConfigException.class, () -> RoundsChannel.plainAllowed("resident", conf));
            assertTrue(e.getMessage().startsWith("train.rounds = resident") && e.getMessage().contains(key + " = true")
                    && e.getMessage().contains("train.rounds = auto or jobs"), e.getMessage());
        }
    }
}
