/**
 * Batch inference over the data a job configures: each shard scored by a pooled replica in its task
 * (the model built once per executor, its parameters broadcast), one output row per example carrying its
 * stable id, its label, the predicted class or value and the probabilities, written by Spark's own
 * writers and output committer.
 */
package dev.sparktrain.job.predict;
