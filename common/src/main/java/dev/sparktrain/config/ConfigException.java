package dev.sparktrain.config;

/** A configuration key is unknown, missing or holds a bad value; the message names key and value. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "{what} must be {expected}, found {value} (conf key {key})". */
    public static ConfigException badValue(String key, String expected, Object value) {
        return new ConfigException(key + " must be " + expected + ", found " + value + " (conf key " + key + ")");
    }
}
