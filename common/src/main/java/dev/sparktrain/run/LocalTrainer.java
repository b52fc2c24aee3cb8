package dev.sparktrain.run;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.data.IdxReader;
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
        ArrayDataset train = IdxReader.read(data.train().images(), data.train().labels(), data.train().limit(),
                data.classes());
        ArrayDataset val = IdxReader.read(data.val().images(), data.val().labels(), data.val().limit(),
                data.classes());
        BatchPlan plan = new BatchPlan(config.train().seed(), train.size(), config.train().workers(),
                config.train().batchSize(), data.dropLast(), true);
        return new TrainingRun(config, console).run(
                (ModelSpec spec) -> new LocalExecutor(new Replica(spec), train, val, plan, data.classes()));
    }
}
