/**
 * The DL4J baseline of {@code scripts/bench-peers.sh}: LeNet-5 on Fashion-MNIST trained with DL4J's own
 * Spark trainer ({@code SparkDl4jMultiLayer} with {@code ParameterAveragingTrainingMaster}) on an embedded
 * {@code local[N]} Spark, as DL4J's users run it ({@link dev.sparktrain.bench.peers.Dl4jSetup#SHIPPED})
 * and with the oneDNN repair that sparktrain ships ({@link dev.sparktrain.bench.peers.Dl4jSetup#REPAIRED}).
 * Benchmark code only: this module is built by the {@code bench-peers} Maven profile and never
 * reaches the job's classpath.
 */
package dev.sparktrain.bench.peers;
