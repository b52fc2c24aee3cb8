/**
 * How a run's data becomes shards, the one preparation step of the single-process trainer and the
 * Spark engine: {@link dev.sparktrain.data.shards.ShardLayout} is the rule (split, shard, order and
 * padding, from a seeded hash of each row's stable id), {@link dev.sparktrain.data.shards.ShardBuilder}
 * turns a shard's rows into a {@link dev.sparktrain.data.Dataset} (in memory, a local file, or image
 * references), and {@link dev.sparktrain.data.shards.DataPreparation} names the sources, applies the
 * rule, and attaches the transforms; it runs the whole step in one process, and the job module's
 * Spark loader runs the same pieces in parallel.
 */
package dev.sparktrain.data.shards;
