/** The spark-submit application's command line: {@code train [CONFIG] [--set key=value]... [--resume] [--local]}. */
package dev.sparktrain.job.cli;
