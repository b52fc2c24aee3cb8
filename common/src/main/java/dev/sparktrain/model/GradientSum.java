package dev.sparktrain.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Sum over a minibatch of per-example gradients and losses, and the number of examples. */
public record GradientSum(INDArray gradient, double lossSum, long count) {
}
