package dev.sparktrain.run;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.DataSources;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.train.LocalExecutor;
import dev.sparktrain.train.TrainingSnapshot;

import java.io.PrintStream;

/**
 * The single-process reference trainer: no Spark, one replica, the global minibatch of
 * {@code train.workers x train.batch-size} examples per step, drawn exactly as a synchronous
 * distributed run would draw them.
 */
public final class LocalTrainer {
    private LocalTrainer() {
    }

    public static TrainingSnapshot train(JobConfig config, PrintStream console) {
        DataConfig data = config.data();
        long seed = config.train().seed();
        Dataset rawTrain = DataSources.read(data, true, seed);
        double[][] norm = DataSources.normalization(data, rawTrain);
        Dataset train = DataSources.transformed(rawTrain, data, true, seed, norm[0], norm[1]);
        Dataset val = DataSources.transformed(DataSources.read(data, false, seed), data, false, seed, norm[0], norm[1]);
        BatchPlan plan = new BatchPlan(config.train().seed(), train.size(), config.train().workers(),
                config.train().batchSize(), data.dropLast(), true);
        return new TrainingRun(config, console).run(
                (ModelSpec spec) -> new LocalExecutor(new Replica(spec), train, val, plan, data.classes(),
                        data.numWorkers()));
    }
}
