/**
 * Loss functions with PyTorch's definitions (torch.nn, PyTorch 1.13): values and gradients with
 * respect to every input, reductions none / mean / sum (and batchmean where PyTorch has it). Each
 * is a {@link dev.sparktrain.loss.Loss}; single-input losses also train inside DL4J output layers
 * through {@link dev.sparktrain.loss.Dl4jLoss}.
 */
package dev.sparktrain.loss;
