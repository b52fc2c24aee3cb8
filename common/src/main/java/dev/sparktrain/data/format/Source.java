package dev.sparktrain.data.format;

import java.io.Serializable;

/**
 * A listed source: its parts, each readable independently in any JVM (Spark ships the Source to its
 * tasks). Reading part after part in index order gives the source's rows in source order.
 */
public interface Source extends Serializable {

    /** The paths or files read, for messages. */
    String describe();

    /** {channels, height, width} of every example. */
    int[] shape();

    /** Target values per example; 0 = class labels. */
    int targetSize();

    /** Number of parts. */
    int parts();

    /** Hosts holding part {@code part}'s data (data locality for Spark; may be empty). */
    String[] hosts(int part);

    /** Reads part {@code part}: its rows in order, checked as the format documents. */
    RecordReader read(int part);

    /** The bytes of the files this source reads (their lengths summed), or -1 when not listed. */
    long bytes();
}
