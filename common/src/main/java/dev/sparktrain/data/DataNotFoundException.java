package dev.sparktrain.data;

/**
 * A configured data file or folder that does not exist: a setting to fix (exit code 2, like a config
 * error), not a run that failed. The message names the URI.
 */
public class DataNotFoundException extends DataException {
    public DataNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
