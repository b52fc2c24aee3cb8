/**
 * Checkpoints on any Hadoop FileSystem (file://, hdfs://, s3a://). A checkpoint is a directory
 * {@code epoch-NNNNNN/} holding {@code params.bin}, {@code optimizer.bin}, {@code config.json}, a plain
 * DL4J ModelSerializer {@code model.zip}, and {@code metadata.json} (format version, epoch, step, seed,
 * optimizer step, metrics history, SHA-256 of every file, written last). It is written under a
 * temporary name and renamed into place, then the {@code latest} pointer is replaced; a crash at any
 * moment leaves the previous checkpoint valid, and loading falls back to the newest checkpoint whose
 * checksums match. On HDFS and local disks the rename is atomic; on object stores (s3a) a rename is a
 * copy, and it is the checksum verification on load that rejects a partly copied checkpoint.
 * {@link dev.sparktrain.checkpoint.CheckpointStore#verify} runs that verification alone, and
 * {@link dev.sparktrain.checkpoint.CheckpointSummary} describes a checkpoint from its metadata, without
 * loading it (the {@code inspect} command shows both).
 */
package dev.sparktrain.checkpoint;
