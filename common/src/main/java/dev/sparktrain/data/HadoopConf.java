package dev.sparktrain.data;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Hadoop {@link Configuration} that travels with the readers to the executors: the job's own
 * settings (Spark's {@code hadoopConfiguration}, with every {@code spark.hadoop.*} key: S3A credentials,
 * HDFS HA nameservices, custom file systems), not a fresh {@code new Configuration()}. Serialized as
 * its difference from Hadoop's defaults (a few keys, not the ~1,000 defaults): the receiving JVM
 * starts from its own defaults and site files and applies the sender's keys on top.
 */
public final class HadoopConf implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private transient Configuration conf;

    private HadoopConf(Configuration conf) {
        this.conf = conf;
    }

    /** A copy of {@code conf} (later changes to {@code conf} are not seen). */
    public static HadoopConf of(Configuration conf) {
        return new HadoopConf(new Configuration(conf));
    }

    /** Hadoop's defaults and the site files on the classpath: for the single-process trainer. */
    public static HadoopConf defaults() {
        return new HadoopConf(new Configuration());
    }

    public Configuration get() {
        return conf;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        Configuration defaults = new Configuration();
        TreeMap<String, String> set = new TreeMap<>();
        for (Map.Entry<String, String> e : conf) {
            if (!e.getValue().equals(defaults.getRaw(e.getKey()))) {
                set.put(e.getKey(), e.getValue());
            }
        }
        ArrayList<String> unset = new ArrayList<>();
        for (Map.Entry<String, String> e : defaults) {
            if (conf.getRaw(e.getKey()) == null) {
                unset.add(e.getKey());
            }
        }
        out.writeObject(set);
        out.writeObject(unset);
    }

    @Serial
    @SuppressWarnings("unchecked")
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        TreeMap<String, String> set = (TreeMap<String, String>) in.readObject();
        ArrayList<String> unset = (ArrayList<String>) in.readObject();
        conf = new Configuration();
        set.forEach(conf::set);
        unset.forEach(conf::unset);
    }
}
