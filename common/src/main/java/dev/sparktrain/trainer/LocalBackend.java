package dev.sparktrain.trainer;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.data.ConcatDataset;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.data.shards.PreparedData;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.train.LocalExecutor;
import dev.sparktrain.train.StepExecutor;
import org.apache.hadoop.conf.Configuration;

/**
 * The single-process backend, the reference trainer (the CLI's {@code --local}): no Spark, the data
 * prepared in this process into the same P shards a P-worker Spark run holds, and one replica stepping
 * the global minibatch of {@code train.workers x train.batch-size} examples drawn exactly as a
 * synchronous distributed run draws them. Takes the configured sources (sparktrain's own formats),
 * in-memory datasets and prepared shards.
 */
public final class LocalBackend implements Backend {
    private final Configuration hadoop;

    /** With Hadoop's defaults and the site files on the classpath. */
    public LocalBackend() {
        this(new Configuration());
    }

    public LocalBackend(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    @Override
    public Configuration hadoop() {
        return hadoop;
    }

    @Override
    public int[] shape(JobConfig config, DataInput input) {
        int[] own = input.shape();
        return own != null ? own : preparation(config).shape(HadoopConf.of(hadoop));
    }

    @Override
    public StepExecutor executor(JobConfig config, DataInput input, ModelSpec spec) {
        DataPreparation prep = preparation(config);
        PreparedData data;
        if (input instanceof DataInput.Prepared p) {
            data = p.shards();
        } else if (input instanceof DataInput.InMemory m) {
            data = prep.prepareViews(prep.prepare(m.train(), m.val()));
        } else if (input instanceof DataInput.Configured) {
            data = prep.prepareViews(prep.prepareLocally(HadoopConf.of(hadoop)));
        } else {
            throw new IllegalArgumentException(input.getClass().getSimpleName() + " is read by the Spark backend "
                    + "(SparkBackend), not in this process");
        }
        return executor(config, prep, data, spec);
    }

    /** The in-process executor over prepared shards (already seen through the transforms). */
    public static LocalExecutor executor(JobConfig config, DataPreparation prep, PreparedData data, ModelSpec spec) {
        DataConfig d = config.data();
        BatchPlan plan = prep.layout().plan(data.trainSizes(), config.train().batchSize(), d.dropLast());
        return new LocalExecutor(new Replica(spec), data.train(), new ConcatDataset(data.val()), plan, d.classes(),
                d.numWorkers());
    }

    private static DataPreparation preparation(JobConfig config) {
        return new DataPreparation(config.data(), config.train().seed(), config.train().workers());
    }
}
