/**
 * Optimizers with PyTorch's definitions over one flat parameter vector (the layout of DL4J's
 * {@code params()}), stepped on the driver. State is data: named arrays plus a step count
 * ({@link dev.sparktrain.optim.OptimizerState}), saved and loaded exactly.
 *
 * <p>Lifecycle: create with {@link dev.sparktrain.optim.Optimizers#create}; call
 * {@link dev.sparktrain.optim.Optimizer#step} once per global minibatch with the mean gradient;
 * {@link dev.sparktrain.optim.Optimizer#state()} returns a copy that
 * {@link dev.sparktrain.optim.Optimizer#loadState} restores exactly.
 */
package dev.sparktrain.optim;
