/**
 * RDD sources: datasets read into P shards on the executors (never through the driver), one
 * {@code Dataset} per partition, kept there for the whole run at the configured storage level: files
 * through the common readers ({@link dev.sparktrain.job.data.DataShards}), Parquet or any Spark SQL
 * source through {@link dev.sparktrain.job.data.TableShards}; with {@code data.storage = local-disk}
 * as memory-mapped files on the executors' local disks, only their handles cached
 * ({@link dev.sparktrain.job.data.LocalDiskShards}).
 */
package dev.sparktrain.job.data;
