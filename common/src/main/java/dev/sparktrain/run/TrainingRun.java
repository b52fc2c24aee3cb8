package dev.sparktrain.run;

import dev.sparktrain.checkpoint.CheckpointListener;
import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.IdxReader;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.Optimizer;
import dev.sparktrain.optim.Optimizers;
import dev.sparktrain.train.NanGuard;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.train.TrainingLoop;
import dev.sparktrain.train.TrainingSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Puts one run together and runs it; the same for the single-process trainer and the Spark job. */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    private final JobConfig config;
    private final PrintStream console;

    public TrainingRun(JobConfig config, PrintStream console) {
        this.config = config;
        this.console = console;
    }

    /** The model spec for this config; the image shape is read from the training images' header. */
    public ModelSpec modelSpec() {
        int[] shape = IdxReader.imageShape(config.data().train().images());
        return ModelSpec.of(config.model(), 1, shape[0], shape[1], config.data().classes(), config.train().seed());
    }

    /** Trains with executors made by {@code executors} and returns the final state. */
    public TrainingSnapshot run(Function<ModelSpec, StepExecutor> executors) {
        long t0 = System.nanoTime();
        ModelSpec spec = modelSpec();
        Replica driverReplica = new Replica(spec);
        CheckpointStore store = new CheckpointStore(config.output().checkpointDir(), config.output().checkpointKeep());
        TrainingSnapshot start = startingPoint(store, driverReplica);
        RunDirectory runDir = new RunDirectory(config.output().dir());
        runDir.writeConfig(config.renderJson());
        runDir.writeMetrics(start.history());
        LOG.info("run directory {}, checkpoints in {}", runDir.location(), store.location());
        Optimizer optimizer = Optimizers.create(config.optimizer(), driverReplica.numParams());
        List<dev.sparktrain.train.TrainingListener> listeners = List.of(
                new NanGuard(),
                new CheckpointListener(store, config.output().checkpointEveryEpochs(), config.train().epochs(),
                        driverReplica::writeModel),
                new MetricsListener(runDir, config.train().epochs(), console));
        TrainingSnapshot end;
        try (StepExecutor executor = executors.apply(spec)) {
            end = new TrainingLoop(config.train(), executor, optimizer, listeners).run(start);
        }
        runDir.writeModel(end.params(), driverReplica::writeModel);
        double wall = (System.nanoTime() - t0) / 1e9;
        if (end.last() != null) {
            console.printf(Locale.ROOT, "final: val_acc %.4f  val_loss %.4f  epochs %d  wall %.1f s  model %s/%s%n",
                    end.last().valAccuracy(), end.last().valLoss(), end.epochsDone(), wall, runDir.location(),
                    RunDirectory.MODEL);
        }
        return end;
    }

    private TrainingSnapshot startingPoint(CheckpointStore store, Replica replica) {
        if (config.train().resume()) {
            var latest = store.loadLatest();
            if (latest.isPresent()) {
                TrainingSnapshot s = latest.get();
                if (s.params().length() != replica.numParams()) {
                    throw new IllegalStateException("checkpoint in " + store.location() + " has " + s.params().length()
                            + " parameters, but the configured " + config.model().type() + " model has "
                            + replica.numParams());
                }
                console.printf(Locale.ROOT, "resuming from %s after epoch %d (step %d)%n", store.location(),
                        s.epochsDone(), s.globalStep());
                return s;
            }
            console.println("no valid checkpoint in " + store.location() + ": starting from scratch");
        }
        return TrainingSnapshot.fresh(replica.params(), config.train().seed(), config.renderJson());
    }
}
