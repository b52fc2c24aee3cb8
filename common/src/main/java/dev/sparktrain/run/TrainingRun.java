package dev.sparktrain.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.sparktrain.checkpoint.CheckpointListener;
import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.model.Dl4jModels;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.Optimizers;
import dev.sparktrain.train.EarlyStopping;
import dev.sparktrain.train.NanGuard;
import dev.sparktrain.train.Schedule;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.train.TrainingListener;
import dev.sparktrain.train.TrainingLoop;
import dev.sparktrain.train.TrainingSnapshot;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Puts one run together and runs it; the same for the single-process trainer and the Spark job. */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    private final JobConfig config;
    private final PrintStream console;
    private final Configuration hadoop;
    private ModelSpec model;
    private int[] shape;
    private final List<TrainingListener> extraListeners = new ArrayList<>();

    /** With Hadoop's default settings (the single-process trainer's). */
    public TrainingRun(JobConfig config, PrintStream console) {
        this(config, console, new Configuration());
    }

    /**
     * With the Hadoop settings that reach the data, output.dir and checkpoint.dir (Spark's
     * hadoopConfiguration, with the job's spark.hadoop.* keys).
     */
    public TrainingRun(JobConfig config, PrintStream console, Configuration hadoop) {
        this.config = config;
        this.console = console;
        this.hadoop = hadoop;
    }

    /** A replica of {@code spec}; a model the config's layers cannot build is a config error naming them. */
    public static Replica replica(ModelSpec spec, JobConfig config) {
        try {
            return new Replica(spec);
        } catch (IllegalArgumentException e) {
            String key = "sequential".equals(spec.type()) ? "model.layers" : "model";
            throw new ConfigException(e.getMessage() + " (conf key " + key + ")", e);
        }
    }

    /** Trains {@code spec} instead of the model the config describes. */
    public TrainingRun withModel(ModelSpec spec) {
        this.model = spec;
        return this;
    }

    /** The examples' {channels, height, width}, when the data is not the config's sources. */
    public TrainingRun withShape(int[] exampleShape) {
        this.shape = exampleShape.clone();
        return this;
    }

    /** Listeners called after the default ones (progress bar on a terminal, NaN guard, early stopping, checkpoints, metrics). */
    public TrainingRun withListeners(List<TrainingListener> listeners) {
        extraListeners.addAll(listeners);
        return this;
    }

    /** The model spec for this config; the example shape comes from the data (IDX/CSV header, image size). */
    public ModelSpec modelSpec() {
        if (model != null) {
            return model;
        }
        int[] s = shape != null ? shape : new DataPreparation(config.data(), config.train().seed(),
                config.train().workers()).shape(HadoopConf.of(hadoop));
        return config.model().spec(s[0], s[1], s[2], config.data().classes(), config.train().seed(), hadoop);
    }

    /**
     * Trains with the executor made by {@code executors} and returns the final state. The model, the
     * optimizer, the schedule, the data (the executor loads it) and the checkpoint to resume from are
     * all checked before anything is written to the run directory.
     */
    public TrainingSnapshot run(Function<ModelSpec, StepExecutor> executors) {
        return fit(executors).snapshot();
    }

    /** As {@link #run}, with the trained model, its final state and why it stopped. */
    public TrainingResult fit(Function<ModelSpec, StepExecutor> executors) {
        long t0 = System.nanoTime();
        ModelSpec spec = modelSpec();
        Replica driverReplica = replica(spec, config);
        GroupedOptimizer optimizer = optimizer(driverReplica);
        Schedule schedule = schedule(optimizer);
        CheckpointStore store = new CheckpointStore(config.output().checkpointDir(), config.output().checkpointKeep(),
                hadoop);
        TrainingSnapshot end;
        TrainingLoop loop;
        RunDirectory runDir;
        try (StepExecutor executor = executors.apply(spec)) {
            TrainingSnapshot start = startingPoint(store, driverReplica);
            runDir = new RunDirectory(config.output().dir(), hadoop);
            runDir.writeConfig(config.renderJson());
            runDir.writeMetrics(start.history());
            LOG.info("run directory {}, checkpoints in {}", runDir.location(), store.location());
            List<TrainingListener> listeners = new ArrayList<>();
            if (ProgressListener.interactive(console)) {
                listeners.add(new ProgressListener(config.train().epochs(), console, 0));
            }
            listeners.add(new NanGuard());
            if (config.earlyStopping().enabled()) {
                listeners.add(new EarlyStopping(config.earlyStopping()));
            }
            listeners.add(new CheckpointListener(store, config.output().checkpointEveryEpochs(), config.train().epochs(),
                    driverReplica::writeModel));
            listeners.add(new MetricsListener(runDir, config.train().epochs(), console));
            listeners.addAll(extraListeners);
            loop = new TrainingLoop(config.train(), executor, optimizer, schedule, listeners);
            end = loop.run(start);
            finish(end, runDir, driverReplica, t0);
        }
        return new TrainingResult(spec, end, loop.stopReason(), runDir.location() + "/" + RunDirectory.MODEL);
    }

    private void finish(TrainingSnapshot end, RunDirectory runDir, Replica driverReplica, long t0) {
        runDir.writeModel(end.params(), driverReplica::writeModel);
        double wall = (System.nanoTime() - t0) / 1e9;
        if (end.last() != null) {
            console.printf(Locale.ROOT, "final: val_acc %.4f  val_loss %.4f  epochs %d  wall %.1f s  model %s/%s%n",
                    end.last().valAccuracy(), end.last().valLoss(), end.epochsDone(), wall, runDir.location(),
                    RunDirectory.MODEL);
        }
    }

    /** Keys whose values differ between two resolved configs, ignoring train.epochs and train.resume. */
    static List<String> changedKeys(String before, String after) {
        Config a = ConfigFactory.parseString(before);
        Config b = ConfigFactory.parseString(after);
        java.util.TreeSet<String> keys = new java.util.TreeSet<>();
        a.entrySet().forEach(e -> keys.add(e.getKey()));
        b.entrySet().forEach(e -> keys.add(e.getKey()));
        keys.removeAll(List.of("train.epochs", "train.resume"));
        return keys.stream()
                .filter(k -> !(a.hasPath(k) && b.hasPath(k) && a.getValue(k).unwrapped().equals(b.getValue(k).unwrapped())))
                .toList();
    }

    /** Param groups are resolved against the model here: their errors are config errors. */
    private GroupedOptimizer optimizer(Replica replica) {
        try {
            return Optimizers.create(config.optimizer(), replica.layout());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (conf key optimizer)", e);
        }
    }

    private Schedule schedule(GroupedOptimizer optimizer) {
        try {
            return Schedule.of(config.scheduler(), optimizer);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (conf key scheduler)", e);
        }
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
                List<String> changed = changedKeys(s.configJson(), config.renderJson());
                if (!changed.isEmpty()) {
                    LOG.warn("the config differs from the checkpoint's in {}: the resumed run will not end where "
                            + "an uninterrupted run of either config would", changed);
                }
                return s;
            }
            console.println("no valid checkpoint in " + store.location() + ": starting from scratch");
        }
        return TrainingSnapshot.fresh(initialParams(replica), config.train().seed(), config.renderJson());
    }

    /** A DL4J model.zip's own parameters (model.type = dl4j), else the model's initialization. */
    private INDArray initialParams(Replica replica) {
        String path = config.model().path();
        if (model == null && Dl4jModels.TYPE.equals(config.model().type()) && path.endsWith(".zip")) {
            INDArray saved = Dl4jModels.params(path, hadoop);
            if (saved.length() != replica.numParams()) {
                throw new ConfigException("model.path " + path + " holds " + saved.length() + " parameters, its "
                        + "configuration builds " + replica.numParams());
            }
            return saved.castTo(replica.params().dataType());
        }
        return replica.params();
    }
}
