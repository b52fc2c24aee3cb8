/**
 * sparktrain as a Java library: {@link dev.sparktrain.trainer.Trainer} builds a run from a model (a
 * {@code ModelSpec}, a DL4J configuration or a saved model.zip), a loss, an optimizer and scheduler
 * spec, listeners and a {@link dev.sparktrain.trainer.Backend} (in this process, or Spark in the job
 * module), and fits it on a {@link dev.sparktrain.trainer.DataInput}. The command line is a thin client
 * of it.
 */
package dev.sparktrain.trainer;
