/**
 * RDD sources: datasets read into P shards on the executors (never through the driver), cached there
 * for the whole run.
 */
package dev.sparktrain.job.data;
