package dev.sparktrain.data;

import org.apache.hadoop.conf.Configuration;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Hadoop {@link Configuration} that travels with the readers to the executors: the job's own
 * settings (Spark's {@code hadoopConfiguration}, with every {@code spark.hadoop.*} key: S3A credentials,
 * HDFS HA nameservices, custom file systems), not a fresh {@code new Configuration()}. A snapshot: the
 * {@link Configuration} that {@link #get()} returns is read, never changed.
 *
 * <p>Serialized as its difference from Hadoop's defaults (a few keys, not the ~1,000 defaults),
 * computed once when the snapshot is taken; the receiving JVM starts from its own defaults and site
 * files and applies the sender's keys on top, and does so only when something asks for the
 * configuration. Tasks that merely carry one (every task of a job over cached shards has the shards'
 * readers in its lineage) pay nothing: parsing Hadoop's default XML files costs milliseconds, and a
 * round is one job. Snapshots with the same keys share one built configuration per JVM (a shard
 * kept serialized is deserialized again for every round).
 */
public final class HadoopConf implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;
    private final TreeMap<String, String> set;
    private final ArrayList<String> unset;
    private transient volatile Configuration conf;

    private HadoopConf(Configuration conf, TreeMap<String, String> set, ArrayList<String> unset) {
        this.conf = conf;
        this.set = set;
        this.unset = unset;
    }

    /** A copy of {@code conf} (later changes to {@code conf} are not seen). */
    public static HadoopConf of(Configuration conf) {
        Configuration copy = new Configuration(conf);
        Configuration defaults = Defaults.CONF;
        TreeMap<String, String> set = new TreeMap<>();
        for (Map.Entry<String, String> e : copy) {
            if (!e.getValue().equals(defaults.getRaw(e.getKey()))) {
                set.put(e.getKey(), e.getValue());
            }
        }
        ArrayList<String> unset = new ArrayList<>();
        for (Map.Entry<String, String> e : defaults) {
            if (copy.getRaw(e.getKey()) == null) {
                unset.add(e.getKey());
            }
        }
        return new HadoopConf(copy, set, unset);
    }

    /** Hadoop's defaults and the site files on the classpath: for the single-process trainer. */
    public static HadoopConf defaults() {
        return new HadoopConf(null, new TreeMap<>(), new ArrayList<>());
    }

    /** The configuration, built from this JVM's defaults and the snapshot's keys on first use. */
    public Configuration get() {
        Configuration c = conf;
        if (c == null) {
            synchronized (this) {
                c = conf;
                if (c == null) {
                    c = Built.of(set, unset);
                    conf = c;
                }
            }
        }
        return c;
    }

    /** Whether the configuration has been built in this JVM (for tests: carrying one must not build it). */
    boolean built() {
        return conf != null;
    }

    /** Hadoop's defaults in this JVM, loaded once (a default resource added later reloads it: Hadoop's registry). */
    private static final class Defaults {
        static final Configuration CONF = new Configuration();

        static {
            CONF.size(); // loads the default resources now, once
        }
    }

    /** Configurations built in this JVM, by the snapshot's keys: a few per run. */
    private static final class Built {
        private static final Map<List<Object>, Configuration> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<List<Object>, Configuration> eldest) {
                return size() > 16;
            }
        };

        static synchronized Configuration of(TreeMap<String, String> set, ArrayList<String> unset) {
            return CACHE.computeIfAbsent(List.of(set, unset), k -> {
                Configuration c = new Configuration();
                set.forEach(c::set);
                unset.forEach(c::unset);
                return c;
            });
        }
    }
}
