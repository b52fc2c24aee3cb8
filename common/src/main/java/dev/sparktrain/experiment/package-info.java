/**
 * Experiments of runs, for retraining on a schedule: each run in {@code <output.dir>/runs/<run-id>/}
 * with its {@code run.json} ({@link RunRecord}), the {@code latest} and {@code production} pointers
 * ({@link Experiment}), the experiment's lock ({@link RunLock}), data fingerprints
 * ({@link DataFingerprint}), warm starts ({@link WarmStart}) and the promotion gate ({@link Promotion}).
 * Nothing here trains: {@code run.TrainingRun} puts these together around a training loop.
 */
package dev.sparktrain.experiment;
