package dev.sparktrain.data;

import java.io.Serializable;

/**
 * One row of a source as a reader yields it and a shard stores it: decoded ({@link Example}) or an
 * encoded image decoded when its minibatch is built ({@link ImageRef}). {@link #id()} is the row's
 * stable identity ({@link RowIds}), which places it in the split and a shard and orders it there.
 */
public sealed interface Record extends Serializable permits Example, ImageRef {

    /** The row's 64-bit stable id. */
    long id();
}
