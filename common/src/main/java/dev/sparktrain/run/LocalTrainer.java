package dev.sparktrain.run;

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
import dev.sparktrain.train.TrainingSnapshot;

import java.io.PrintStream;

/**
 * The single-process reference trainer: no Spark, one replica, the global minibatch of
 * {@code train.workers x train.batch-size} examples per step, drawn exactly as a synchronous
 * distributed run would draw them: the data goes through the same {@link DataPreparation} into the
 * same P shards, here read in one process.
 */
public final class LocalTrainer {
    private LocalTrainer() {
    }

    public static TrainingSnapshot train(JobConfig config, PrintStream console) {
        DataPreparation prep = new DataPreparation(config.data(), config.train().seed(), config.train().workers());
        HadoopConf conf = HadoopConf.defaults();
        return new TrainingRun(config, console, conf.get()).run(spec -> executor(config, prep,
                prep.prepareViews(prep.prepareLocally(conf)), spec));
    }

    /** The in-process executor over prepared shards (already seen through the transforms). */
    public static LocalExecutor executor(JobConfig config, DataPreparation prep, PreparedData data, ModelSpec spec) {
        DataConfig d = config.data();
        BatchPlan plan = prep.layout().plan(data.trainSizes(), config.train().batchSize(), d.dropLast());
        return new LocalExecutor(new Replica(spec), data.train(), new ConcatDataset(data.val()), plan, d.classes(),
                d.numWorkers());
    }
}
