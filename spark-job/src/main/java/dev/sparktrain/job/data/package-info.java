/**
 * The Spark side of the data: {@link dev.sparktrain.job.data.SparkData} runs the common
 * {@code DataPreparation} step in parallel (sources read by tasks over their input splits, rows moved
 * once by a shuffle to the shard that owns them, shards persisted on the executors), Spark SQL sources
 * (parquet, orc, json, catalog tables) through {@link dev.sparktrain.job.data.TableSource}, and
 * {@code data.storage = local-disk} shards in files on the executors' local disks, only their handles
 * cached ({@link dev.sparktrain.job.data.LocalDiskShards}).
 */
package dev.sparktrain.job.data;
