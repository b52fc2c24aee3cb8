package dev.sparktrain.trainer;

import dev.sparktrain.config.JobConfig;
import dev.sparktrain.experiment.DataFingerprint;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.train.StepExecutor;
import org.apache.hadoop.conf.Configuration;

import java.util.Optional;

/**
 * Where rounds run: {@link LocalBackend} in this process, or Spark ({@code SparkBackend} in the job
 * module). A backend prepares the data of a {@link DataInput} into P shards and returns the executor
 * that steps them; it says which inputs it takes by accepting or refusing them with a message.
 */
public interface Backend {

    /** The Hadoop settings that reach the data, the run directory and the checkpoints. */
    Configuration hadoop();

    /** The examples' {channels, height, width}: the input's own, or read from the configured sources. */
    int[] shape(JobConfig config, DataInput input);

    /** Prepares {@code input}'s data for {@code spec} and returns the executor over it (closed by the run). */
    StepExecutor executor(JobConfig config, DataInput input, ModelSpec spec);

    /**
     * What data {@code input} is, for run.json and {@code train.skip-if-unchanged}: the listed files of
     * the configured sources (or the fingerprint prepared shards came with); empty for inputs without
     * files (in-memory datasets here; a backend that can list more, such as Spark's tables, says so).
     */
    default Optional<DataFingerprint> fingerprint(JobConfig config, DataInput input) {
        if (input instanceof DataInput.Configured) {
            return DataFingerprint.ofSources(config.data(), config.modelDigest(), hadoop());
        }
        if (input instanceof DataInput.Prepared p) {
            return Optional.ofNullable(p.fingerprint());
        }
        return Optional.empty();
    }
}
