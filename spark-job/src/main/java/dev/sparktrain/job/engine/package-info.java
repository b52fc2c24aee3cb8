/**
 * The distributed engine over the executor-resident shards. A round is one minibatch (synchronous)
 * or k of them (averaging) on every shard. With resident rounds (train.rounds, the default where the
 * cluster can run all P tasks at once) one Spark job per epoch keeps a task on each shard, and the
 * driver sends each round's request to those tasks over TCP and sums their results in shard order
 * ({@link dev.sparktrain.job.engine.ResidentRounds}); otherwise every round is one Spark job
 * ({@link dev.sparktrain.job.engine.ShardJob}): the driver broadcasts the request, each task runs it,
 * and the results are folded on the driver in partition order (through Spark's treeAggregate only
 * where its tree pays: many shards and large results). Either way a task borrows the model replica cached in its executor JVM, and
 * the driver steps its optimizer.
 */
package dev.sparktrain.job.engine;
