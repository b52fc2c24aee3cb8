/**
 * Training: the driver loop ({@link dev.sparktrain.train.TrainingLoop}, which only orders the
 * steps), the worker-side step of one shard ({@link dev.sparktrain.train.ShardStepper}), the
 * {@link dev.sparktrain.train.StepExecutor} seam between them (in-process here, Spark in the job
 * module), the single-process reference trainer, and the listeners: progress, metrics, NaN guard.
 *
 * <p>Modes. k = train.averaging-frequency. With k = 1 (synchronous) every round is one optimizer
 * step: workers return the SUM of per-example gradients and the example count, the driver divides by
 * the total and steps its optimizer, so W workers with batch b equal one process with batch W*b.
 * With k &gt; 1 (local SGD / parameter averaging) each worker takes k inner optimizer steps from the
 * broadcast parameters and optimizer state and returns its parameter delta and final inner state,
 * both multiplied by its example count; the driver divides by the total count (an example-weighted
 * average) and the outer step is plain averaging: theta += mean delta, state = mean state. The
 * optimizer state lives on the driver between rounds and goes into checkpoints in both modes.
 */
package dev.sparktrain.train;
