/**
 * One training run put together: a run of the experiment {@code output.dir} under its lock (a finished
 * run id does nothing, a failed or interrupted one resumes, unchanged data can be skipped), the run
 * directory (resolved config, metrics.jsonl, curves.png, final model), the warm start or resume, the
 * default listeners, the driver loop over a given {@link dev.sparktrain.train.StepExecutor} (in-process, or
 * Spark from the job module), and the promotion gate after it.
 */
package dev.sparktrain.run;
