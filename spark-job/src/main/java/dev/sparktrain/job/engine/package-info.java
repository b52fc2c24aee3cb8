/**
 * The distributed engine: every round is one Spark job over the executor-resident shards. The
 * driver broadcasts the round request (flat parameters, and in averaging mode the inner optimizer
 * state); each task borrows the model replica cached in its executor JVM, runs its minibatches and
 * returns its result; results are combined with treeAggregate; the driver steps its optimizer.
 */
package dev.sparktrain.job.engine;
