package dev.sparktrain.model.layers;

import java.util.List;

/**
 * A layer configuration holding named matrices only: their DL4J parameter keys (PyTorch-like:
 * {@code params.0}, {@code params.linear1}) and shapes, in flat-vector order.
 */
interface MatrixParams {
    List<String> paramKeys();

    long[] paramShape(int i);
}
