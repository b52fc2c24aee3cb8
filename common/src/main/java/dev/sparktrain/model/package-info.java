/**
 * Models: the zoo (LeNet-5, MLP, sequential layer lists) built from
 * {@link dev.sparktrain.config.ModelConfig} into DL4J MultiLayerNetworks, non-sequential models
 * (skip connections, several inputs) as ComputationGraphs through {@link dev.sparktrain.model.GraphBuilder}
 * and {@link dev.sparktrain.model.GraphZoo} (the config's resnet), summaries, parameter layouts, and
 * {@link dev.sparktrain.model.Replica}, one trainable copy of either kind of network that exchanges
 * flat parameter and gradient vectors with the driver.
 */
package dev.sparktrain.model;
