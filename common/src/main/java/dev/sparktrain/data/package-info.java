/**
 * Datasets and their order: the IDX reader (MNIST family, gz or plain, any Hadoop FileSystem URI),
 * in-memory datasets of examples, the batch plan (PyTorch's DistributedSampler with
 * {@code set_epoch}: order is a pure function of seed, epoch and shard) and collation into DL4J
 * {@code DataSet}s.
 */
package dev.sparktrain.data;
