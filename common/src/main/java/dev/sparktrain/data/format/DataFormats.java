package dev.sparktrain.data.format;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.HadoopConf;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The registered data formats by {@code data.format} name. See {@link FormatRegistrations}. */
public final class DataFormats {
    private static final Map<String, DataFormat> REGISTRY = new TreeMap<>();

    private DataFormats() {
    }

    static synchronized void register(DataFormat format) {
        if (REGISTRY.putIfAbsent(format.name(), format) != null) {
            throw new IllegalStateException("data format '" + format.name() + "' registered twice");
        }
    }

    /** The format named {@code name}, if sparktrain reads it itself (else Spark SQL does). */
    public static synchronized Optional<DataFormat> lookup(String name) {
        FormatRegistrations.ensure();
        return Optional.ofNullable(REGISTRY.get(name));
    }

    public static synchronized Set<String> names() {
        FormatRegistrations.ensure();
        return Set.copyOf(REGISTRY.keySet());
    }

    /** Opens {@code src} in the configured format, which must be one of the registered ones. */
    public static Source open(DataConfig data, DataConfig.DataSource src, HadoopConf conf) {
        return lookup(data.format()).orElseThrow(() -> new DataException("data.format = " + data.format()
                        + " is read by Spark SQL, which this process does not run: train on Spark, or use one of "
                        + names()))
                .open(data, src, conf);
    }
}
