/**
 * What a model's outputs mean and how well they match the labels: the target kind chosen from the
 * loss and the output width ({@link dev.sparktrain.eval.Evaluator}), the sums an evaluation keeps and
 * adds up across shards and executors ({@link dev.sparktrain.eval.Evaluation}), and the figures and
 * report made from them. Training's validation metrics, {@code evaluate}, {@code predict} and the
 * Spark ML models all use these.
 */
package dev.sparktrain.eval;
