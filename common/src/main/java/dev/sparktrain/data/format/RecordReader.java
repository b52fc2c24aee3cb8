package dev.sparktrain.data.format;

import dev.sparktrain.data.Record;

import java.util.Iterator;

/** One part's rows, read one at a time (only the current one held); close it when done or abandoned. */
public interface RecordReader extends Iterator<Record>, AutoCloseable {

    @Override
    void close();
}
