/**
 * One training run put together: the run directory (resolved config, metrics.jsonl, final model),
 * resume from the latest valid checkpoint, the default listeners, and the driver loop over a given
 * {@link dev.sparktrain.train.StepExecutor} (in-process, or Spark from the job module).
 */
package dev.sparktrain.run;
