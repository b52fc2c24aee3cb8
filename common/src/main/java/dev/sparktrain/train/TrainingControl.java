package dev.sparktrain.train;

/**
 * How a listener stops a run cleanly: {@link #stop} asks the loop to end after the current epoch
 * (its validation and epoch listeners, checkpoint included, still run). The first reason given wins.
 */
public final class TrainingControl {
    private String reason;

    /** Ends the run after the current epoch; {@code why} is reported with the result. */
    public synchronized void stop(String why) {
        if (reason == null) {
            reason = why == null || why.isBlank() ? "stopped by a listener" : why;
        }
    }

    public synchronized boolean stopRequested() {
        return reason != null;
    }

    /** Why the run was stopped, or null. */
    public synchronized String reason() {
        return reason;
    }
}
