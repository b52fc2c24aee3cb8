package dev.sparktrain.run;

import dev.sparktrain.checkpoint.CheckpointException;
import dev.sparktrain.config.ConfigException;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.DataNotFoundException;
import dev.sparktrain.experiment.ExperimentLockedException;
import dev.sparktrain.train.DivergenceException;

import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failed command prints and returns: the one line that says what went wrong (the cause a Spark
 * task failure or a wrapper carries, not the wrapper) and the documented exit code: 2 for a config
 * error, 4 for a locked experiment, 1 for everything else. A failed run's run.json and outcome keep
 * the same line. A configured data path that does not exist counts as a config error.
 */
public record Failure(String line, int exitCode) {
    /** A task's failure as Spark words it when the task's exception did not travel with it. */
    private static final Pattern TASK_FAILURE = Pattern.compile(
            "most recent failure: Lost task [^\\n]*?\\(TID \\d+\\)(?: \\([^)\\n]*\\))?: ([^\\n]+)");
    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*: ");

    public static Failure of(Throwable ex) {
        Throwable known = known(ex); // a Spark job failure carries the task's exception as its cause
        if (known instanceof ConfigException || known instanceof DataNotFoundException) {
            return new Failure("config error: " + known.getMessage(), 2);
        }
        if (known instanceof ExperimentLockedException) {
            return new Failure("locked: " + known.getMessage(), 4);
        }
        if (known != null) {
            return new Failure("error: " + known.getMessage(), 1);
        }
        return new Failure("error: " + describe(ex), 1);
    }

    /** The first exception of a kind the user can act on in {@code ex}'s cause chain, or null. */
    static Throwable known(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ConfigException || t instanceof DataException || t instanceof CheckpointException
                    || t instanceof DivergenceException || t instanceof ExperimentLockedException) {
                return t;
            }
        }
        return null;
    }

    /** One line for any other failure: the innermost cause's message past wrappers, its type when it has none. */
    public static String describe(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t && (wrapper(t) || t.getMessage() == null)) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getName();
        }
        Matcher task = TASK_FAILURE.matcher(message);
        if (task.find()) { // the task's exception class and message, from Spark's text
            return CLASS_PREFIX.matcher(task.group(1).trim()).replaceFirst("");
        }
        String first = message.lines().findFirst().orElse(message).trim();
        return CLASS_PREFIX.matcher(first).replaceFirst("");
    }

    /** Exceptions whose message only repeats their cause's. */
    private static boolean wrapper(Throwable t) {
        return t instanceof UncheckedIOException || t instanceof ExecutionException
                || t instanceof CompletionException || t instanceof InvocationTargetException
                || t.getClass().getName().equals("org.apache.spark.SparkException") && t.getCause() != null
                || t.getMessage() != null && t.getCause() != null && t.getMessage().equals(t.getCause().toString());
    }
}
