/**
 * RDD sources: datasets read into P shards on the executors (never through the driver), one
 * {@code Dataset} per partition, kept there for the whole run at the configured storage level: files
 * through the common readers ({@link dev.sparktrain.job.data.DataShards}), Parquet or any Spark SQL
 * source through {@link dev.sparktrain.job.data.TableShards}.
 */
package dev.sparktrain.job.data;
