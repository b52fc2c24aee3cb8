package dev.sparktrain.data;

/** Bad or unreadable input data; the message names the file (or partition) and the value found. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
