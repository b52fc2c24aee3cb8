/**
 * Models: the zoo (LeNet-5, MLP) built from {@link dev.sparktrain.config.ModelConfig} into DL4J
 * configurations, and {@link dev.sparktrain.model.Replica}, one trainable copy of a network that
 * exchanges flat parameter and gradient vectors with the driver.
 */
package dev.sparktrain.model;
