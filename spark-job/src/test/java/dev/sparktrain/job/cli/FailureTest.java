package dev.sparktrain.job.cli;

import dev.sparktrain.run.Failure;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.data.DataException;
import dev.sparktrain.experiment.ExperimentLockedException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one line and exit code of a failed command, whatever wraps the cause. */
class FailureTest {

    @Test
    void knownCausesKeepTheirKindAndExitCodeThroughSparksWrapping() {
        SparkException job = new SparkException("Job aborted due to stage failure: ...",
                new DataException("file:/d/part-1.csv:42:2: 'x7' is not a finite number"));
        assertEquals(new Failure("error: file:/d/part-1.csv:42:2: 'x7' is not a finite number", 1), Failure.of(job));
        assertEquals(new Failure("config error: train.batch-size must be a positive integer, found 0", 2),
                Failure.of(new IllegalStateException("wrapped", new ConfigException(
                        "train.batch-size must be a positive integer, found 0"))));
        assertEquals(4, Failure.of(new ExperimentLockedException("runs/x is locked")).exitCode());
    }

    @Test
    void aTaskFailureWhoseExceptionDidNotTravelIsReadFromSparksMessage() {
        SparkException job = new SparkException("Job aborted due to stage failure: Task 1 in stage 3.0 failed 4 "
                + "times, most recent failure: Lost task 1.3 in stage 3.0 (TID 17) (10.0.0.5 executor 2): "
                + "com.example.udf.BadRecord: row 12 of s3a://b/t/part-7: negative age -3\n"
                + "\tat com.example.udf.Parse.apply(Parse.java:40)\n\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:1)\n"
                + "\nDriver stacktrace:", null);
        assertEquals(new Failure("error: row 12 of s3a://b/t/part-7: negative age -3", 1), Failure.of(job));
    }

    @Test
    void otherFailuresAreTheirInnermostMessagePastWrappersOrTheirType() {
        assertEquals("cannot write /runs/r/metrics.jsonl: No space left on device", Failure.describe(
                new UncheckedIOException(new IOException("cannot write /runs/r/metrics.jsonl: No space left on device"))));
        assertEquals("checkpoint in /c has 10 parameters, but the configured mlp model has 12", Failure.describe(
                new IllegalStateException("checkpoint in /c has 10 parameters, but the configured mlp model has 12")));
        assertEquals("java.lang.NullPointerException", Failure.describe(new NullPointerException()));
        assertEquals("first line only", Failure.describe(new RuntimeException("first line only\nmore\n\tat x.y(Z.java:1)")));
    }
}
