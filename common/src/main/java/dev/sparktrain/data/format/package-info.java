/**
 * Data formats: each is one {@link dev.sparktrain.data.format.DataFormat} class plus one line in
 * {@link dev.sparktrain.data.format.FormatRegistrations}. A format lists a source on the driver (its
 * files, never its rows: {@link dev.sparktrain.data.format.SourcePaths}) and returns a
 * {@link dev.sparktrain.data.format.Source}: serializable, split into parts that any JVM can read
 * independently (a file split, a file, a class folder), each yielding {@link dev.sparktrain.data.Record}s
 * with their stable ids. The single-process trainer reads the parts in a loop, Spark reads them in
 * parallel tasks; which shard a record lands in is {@link dev.sparktrain.data.shards}' business.
 * Formats read by Spark SQL (parquet, orc, json, catalog tables) live in the job module.
 */
package dev.sparktrain.data.format;
