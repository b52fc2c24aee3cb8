/**
 * The spark-submit application's command line: {@code train [CONFIG] [--set key=value]... [--resume] [--local]},
 * {@code evaluate}, {@code predict} and {@code summary}, and the commands that read what runs wrote: {@code plot}
 * (learning curves of runs overlaid) and {@code inspect} (an experiment's runs and checkpoints, verified on request).
 */
package dev.sparktrain.job.cli;
