/**
 * Datasets and their order, with PyTorch's roles kept apart: {@link dev.sparktrain.data.Dataset}
 * (size and example by index; in memory as {@link dev.sparktrain.data.ArrayDataset}, encoded images
 * decoded on demand as {@link dev.sparktrain.data.ImageDataset}, or memory-mapped from a local file as
 * {@link dev.sparktrain.data.MappedDataset}), the rows readers yield ({@link dev.sparktrain.data.Record}
 * with its stable id, {@link dev.sparktrain.data.RowIds}), transforms seeded per (seed, epoch, example
 * id), the {@link dev.sparktrain.data.BatchPlan} (DistributedSampler with {@code set_epoch}: order is a
 * pure function of seed, epoch and shard), {@link dev.sparktrain.data.Collate} into DL4J
 * {@code DataSet}s, the single-process {@link dev.sparktrain.data.DataLoader} with prefetch workers
 * ({@link dev.sparktrain.data.Prefetch}, which also loads ahead for the trainers, set by
 * data.num-workers), and file access through the job's Hadoop settings
 * ({@link dev.sparktrain.data.DataFiles}, {@link dev.sparktrain.data.HadoopConf}). The formats are in
 * {@code data.format}; how sources become shards, in {@code data.shards}.
 */
package dev.sparktrain.data;
