/**
 * Models: the zoo (LeNet-5, MLP, the batch-normalized CNN) and sequential layer lists built from
 * {@link dev.sparktrain.model.ModelSpec} (from the job config's model section,
 * or from Java through {@link dev.sparktrain.model.Sequential} and {@link dev.sparktrain.model.Zoo}) into
 * DL4J MultiLayerNetworks; non-sequential models (skip connections, several inputs) as ComputationGraphs
 * through {@link dev.sparktrain.model.GraphBuilder} and {@link dev.sparktrain.model.GraphZoo} (the
 * config's resnet); summaries and PyTorch-style parameter names; and
 * {@link dev.sparktrain.model.Replica}, one trainable copy of either kind of network that exchanges flat
 * parameter and gradient vectors with the driver. Custom layers live in {@code dev.sparktrain.model.layers}.
 */
package dev.sparktrain.model;
