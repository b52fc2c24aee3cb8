package dev.sparktrain.data.format;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.HadoopConf;

/**
 * A data format sparktrain reads itself ({@code data.format}). Adding one is one class implementing
 * this plus one line in {@link FormatRegistrations}; the trainers and the Spark engine never change.
 */
public interface DataFormat {

    /** Its {@code data.format} value. */
    String name();

    /**
     * Lists {@code src} on the driver (files and their splits, never rows) and checks what can be
     * checked without reading it all (the source exists, a header or file header is well-formed).
     * Every failure is a {@link dev.sparktrain.data.DataException} naming the file or config key.
     */
    Source open(DataConfig data, DataConfig.DataSource src, HadoopConf conf);
}
