/**
 * The Spark backend of the {@code Trainer} API: {@link dev.sparktrain.job.trainer.SparkBackend} over
 * the user's {@code JavaSparkContext}, and the inputs only Spark reads
 * ({@link dev.sparktrain.job.trainer.SparkInputs}: a {@code Dataset<Row>}, a {@code JavaRDD<DataSet>}).
 */
package dev.sparktrain.job.trainer;
