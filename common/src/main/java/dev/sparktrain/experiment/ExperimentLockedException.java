package dev.sparktrain.experiment;

/** Another run of the experiment holds its lock; the message names the holder. */
public class ExperimentLockedException extends RuntimeException {
    public ExperimentLockedException(String message) {
        super(message);
    }
}
