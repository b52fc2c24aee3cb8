/**
 * Spark ML for sparktrain: {@link dev.sparktrain.ml.SparkTrainClassifier} and
 * {@link dev.sparktrain.ml.SparkTrainRegressor}, Estimators whose typed Params
 * ({@link dev.sparktrain.ml.SparkTrainParams}) are the keys of a job config, fit on the data's own
 * SparkContext through the {@code Trainer} API and the Spark backend; their models
 * ({@link dev.sparktrain.ml.SparkTrainClassificationModel}, a ProbabilisticClassificationModel, and
 * {@link dev.sparktrain.ml.SparkTrainRegressionModel}) score partitions in minibatches with the DL4J
 * network restored once per executor JVM. Everything saves and loads as Spark ML's own stages do
 * (metadata JSON plus the DL4J model.zip), so Pipelines, PipelineModels and CrossValidator work.
 * This package owns the Spark ML surface only: training is {@code dev.sparktrain.trainer}'s, data
 * loading {@code dev.sparktrain.job.trainer}'s.
 */
package dev.sparktrain.ml;
