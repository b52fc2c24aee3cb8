package dev.sparktrain.data;

import java.util.Iterator;

/** A source's examples read one at a time in source order (ids 0, 1, ...), holding only the current one. */
interface ExampleStream extends Iterator<Example>, AutoCloseable {

    /** The number of examples the stream yields in all (may read the source once to count). */
    int count();

    @Override
    void close();
}
