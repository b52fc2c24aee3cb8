package dev.sparktrain.checkpoint;

/** A checkpoint cannot be written, or none valid can be read; the message names the path. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
