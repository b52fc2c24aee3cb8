/**
 * Datasets and their order, with PyTorch's roles kept apart: {@link dev.sparktrain.data.Dataset}
 * (size and example by index; in memory as {@link dev.sparktrain.data.ArrayDataset} or read on demand
 * as {@link dev.sparktrain.data.ImageFolderDataset}, or memory-mapped from a local file as
 * {@link dev.sparktrain.data.MappedDataset}, which {@link dev.sparktrain.data.ShardFiles} streams a shard
 * into), the readers (IDX, CSV/CSV.gz, image folders,
 * all from any Hadoop FileSystem URI), transforms seeded per (seed, epoch, example), the train/validation
 * {@link dev.sparktrain.data.Split}, the {@link dev.sparktrain.data.BatchPlan} (DistributedSampler with
 * {@code set_epoch}: order is a pure function of seed, epoch and shard), {@link dev.sparktrain.data.Collate}
 * into DL4J {@code DataSet}s, and the single-process {@link dev.sparktrain.data.DataLoader} with
 * prefetch workers ({@link dev.sparktrain.data.Prefetch}, which also loads ahead for the trainers,
 * set by data.num-workers). {@link dev.sparktrain.data.DataSources} puts them together from the job config.
 */
package dev.sparktrain.data;
