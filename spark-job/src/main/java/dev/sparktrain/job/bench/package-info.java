/**
 * Benchmarks run by the scripts: the memory benchmark (an image-folder dataset generated at several
 * sizes, trained on local Spark while the JVM's heap and off-heap use are sampled).
 */
package dev.sparktrain.job.bench;
