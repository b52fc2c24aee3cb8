/**
 * Optimizers with torch.optim's definitions (PyTorch 1.13): SGD, Adam, AdamW, RMSprop, Adagrad, NAdam
 * and RAdam, each one {@link dev.sparktrain.optim.Algorithm} class (its hyper-parameters with torch's
 * names and defaults, torch's constructor checks, its per-tensor update) plus one line in
 * {@link dev.sparktrain.optim.AlgorithmRegistrations}, driven by
 * {@link dev.sparktrain.optim.GroupedOptimizer} over a network's flat parameter vector with param
 * groups (declared, default, frozen, added at run time), gradient clipping and a state dict
 * ({@link dev.sparktrain.optim.StateDict}) whose per-parameter entries are keyed by stable parameter
 * names such as {@code fc1.weight}.
 *
 * <p>Lifecycle: {@link dev.sparktrain.optim.Optimizers#create} from an
 * {@link dev.sparktrain.optim.OptimizerSpec} and the network's {@link dev.sparktrain.model.ParamLayout};
 * {@code step(params, meanGrad)} once per global minibatch; {@code stateDict()} returns a copy that
 * {@code loadStateDict} restores exactly, after checking group count and sizes.
 */
package dev.sparktrain.optim;
