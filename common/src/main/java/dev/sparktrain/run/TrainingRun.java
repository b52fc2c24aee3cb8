package dev.sparktrain.run;

import dev.sparktrain.checkpoint.CheckpointListener;
import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ExperimentConfig;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.eval.TargetKind;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.experiment.Attempt;
import dev.sparktrain.experiment.DataFingerprint;
import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.Promotion;
import dev.sparktrain.experiment.RunLock;
import dev.sparktrain.experiment.RunRecord;
import dev.sparktrain.experiment.RunStatus;
import dev.sparktrain.experiment.WarmStart;
import dev.sparktrain.model.BuildInfo;
import dev.sparktrain.model.Dl4jModels;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.Optimizers;
import dev.sparktrain.train.EarlyStopping;
import dev.sparktrain.train.NanGuard;
import dev.sparktrain.train.Schedule;
import dev.sparktrain.train.StateOwner;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.train.TrainingListener;
import dev.sparktrain.train.TrainingLoop;
import dev.sparktrain.train.TrainingSnapshot;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Puts one run of an experiment together and runs it; the same for the single-process trainer and the
 * Spark job (the CLI and the {@code Trainer} call it).
 */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    private final JobConfig config;
    private final PrintStream console;
    private final Configuration hadoop;
    private ModelSpec model;
    private int[] shape;
    private final List<TrainingListener> extraListeners = new ArrayList<>();
    /** The experiment's lock while a run holds it: checked before anything is written. */
    private RunLock lock;
    private Supplier<Optional<DataFingerprint>> fingerprint = Optional::empty;
    private Optional<Attempt> attempt = Attempt.current();

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

    /**
     * Listeners called after the default ones (progress bar on a terminal or progress lines, NaN guard,
     * early stopping, checkpoints, metrics, learning curves).
     */
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
     * The cluster manager's attempt this driver runs in (default: read from the environment, see
     * {@link Attempt#current}): a later attempt continues the run an earlier one started.
     */
    public TrainingRun withAttempt(Attempt a) {
        this.attempt = Optional.ofNullable(a);
        return this;
    }

    /** The fingerprint of the data this run trains on, when its input can be fingerprinted. */
    public TrainingRun withFingerprint(Supplier<Optional<DataFingerprint>> fingerprint) {
        this.fingerprint = fingerprint;
        return this;
    }

    /**
     * Trains with the executor made by {@code executors} and returns the final state. The model, the
     * optimizer, the schedule, the warm start, the data (the executor loads it) and the checkpoint to
     * resume from are all checked before anything is written to the run directory.
     */
    public TrainingSnapshot run(Function<ModelSpec, StepExecutor> executors) {
        return fit(executors).snapshot();
    }

    /**
     * Runs one run of the experiment {@code output.dir} (see {@link Experiment}) under its lock: a run
     * id that already finished does nothing; one that failed or was interrupted resumes; with
     * {@code train.skip-if-unchanged}, data and config a finished run already saw do nothing; otherwise
     * the run trains from {@code train.init}, and the promotion gate decides whether production moves.
     */
    public TrainingResult fit(Function<ModelSpec, StepExecutor> executors) {
        long t0 = System.nanoTime();
        Instant started = Instant.now();
        Experiment experiment = new Experiment(config.output().dir(), hadoop);
        String runId = runId(experiment, started);
        ExperimentConfig e = config.experiment();
        try (RunLock lock = experiment.lock(runId, e.lockHeartbeat(), e.lockStaleAfter(), e.lockDir(),
                attempt.orElse(null))) {
            this.lock = lock;
            Optional<RunRecord> existing = experiment.run(runId);
            if (existing.isPresent() && existing.get().status().finished()) {
                RunRecord r = existing.get();
                console.printf("run %s already %s (ended %s): nothing to do%n", runId, r.status().text(), r.end());
                return new TrainingResult(runId, r.status() == RunStatus.SUCCEEDED ? RunOutcome.ALREADY_SUCCEEDED
                        : RunOutcome.ALREADY_NOT_PROMOTED, r, null, null, null, experiment.runDir(runId) + "/"
                        + RunDirectory.MODEL);
            }
            DataFingerprint data = existing.isPresent() ? null : fingerprint.get().orElse(null); // a resumed run keeps its own
            if (existing.isEmpty() && config.experiment().skipIfUnchanged()) {
                Optional<RunRecord> same = unchanged(experiment, data);
                if (same.isPresent()) {
                    console.printf("data and config unchanged since run %s (%s, ended %s): nothing to do%n",
                            same.get().runId(), same.get().status().text(), same.get().end());
                    return new TrainingResult(runId, RunOutcome.UNCHANGED, same.get(), null, null, null,
                            experiment.runDir(same.get().runId()) + "/" + RunDirectory.MODEL);
                }
            }
            return train(executors, experiment, runId, existing.orElse(null), data, started, t0);
        }
    }

    /**
     * The id of this run: the configured one, the run an earlier attempt of this driver's application
     * started (YARN retried a driver that died), the newest unfinished run on resume, else a new one.
     */
    private String runId(Experiment experiment, Instant started) {
        if (!config.output().runId().isEmpty()) {
            return config.output().runId();
        }
        if (attempt.isPresent() && attempt.get().number() > 1) {
            String application = attempt.get().application();
            Optional<RunRecord> earlier = experiment.runs().stream()
                    .filter(r -> application.equals(r.application())).reduce((a, b) -> b);
            if (earlier.isPresent()) {
                console.printf("%s: continuing run %s, which an earlier attempt started%n", attempt.get(),
                        earlier.get().runId());
                return earlier.get().runId();
            }
        }
        if (config.train().resume()) {
            Optional<RunRecord> newest = experiment.newest();
            if (newest.isPresent() && !newest.get().status().finished()) {
                return newest.get().runId();
            }
            console.println("nothing to resume in " + experiment.location() + newest.map(r -> " (its newest run "
                    + r.runId() + " " + r.status().text() + ")").orElse("") + ": starting a new run");
        }
        return experiment.newRunId(started);
    }

    /** A finished run of the experiment that saw the same data and config. */
    private Optional<RunRecord> unchanged(Experiment experiment, DataFingerprint data) {
        if (data == null) {
            console.println("train.skip-if-unchanged: this input has no fingerprint (only files and tables "
                    + "have one): training");
            return Optional.empty();
        }
        return experiment.finishedWith(data.summary());
    }

    private TrainingResult train(Function<ModelSpec, StepExecutor> executors, Experiment experiment, String runId,
                                 RunRecord existing, DataFingerprint data, Instant started, long t0) {
        ModelSpec spec = modelSpec();
        Replica driverReplica = replica(spec, config);
        checkMonitor(driverReplica);
        GroupedOptimizer optimizer = optimizer(driverReplica);
        Schedule schedule = schedule(optimizer);
        Optional<WarmStart> warm = WarmStart.resolve(config.experiment(), experiment, hadoop);
        Supplier<TrainingSnapshot> warmStart = () -> warm.map(w -> w.start(driverReplica.layout(),
                driverReplica.params().dataType(), config.experiment().initOptimizer(), config.optimizer().type(),
                optimizer.stateDict(), config.train().seed(), config.renderJson(), hadoop)).orElse(null);
        // a new run's warm start is checked now; a resumed run needs it only when it has no checkpoint yet
        TrainingSnapshot newRunStart = existing == null ? warmStart.get() : null;
        String runDirUri = experiment.runDir(runId);
        CheckpointStore store = new CheckpointStore(existing != null ? existing.checkpoints()
                : config.output().checkpointDir(runId, runDirUri), config.output().checkpointKeep(), hadoop);
        if (existing != null) {
            RunRecorder.howItEnded(existing).ifPresent(console::println);
        }
        RunRecorder recorder = null;
        try (StepExecutor executor = executors.apply(spec)) {
            TrainingSnapshot start = existing != null ? Resumption.latest(store, driverReplica, runId, config, console)
                    : newRunStart;
            if (start == null && existing != null) {
                start = warmStart.get();
            }
            if (start == null) {
                start = fresh(driverReplica);
            }
            if (existing == null && !config.experiment().init().equals(ExperimentConfig.SCRATCH)) {
                console.println(warm.map(w -> "starting from " + w.description()).orElse("train.init = "
                        + config.experiment().init() + ": the experiment has no such run yet; starting from scratch"));
            }
            RunRecord record = existing != null ? existing.resumed() : RunRecord.started(runId, started.toString(),
                    warm.map(WarmStart::parentRun).orElse(null), warm.map(WarmStart::description).orElse(
                            ExperimentConfig.SCRATCH), store.location(), data == null ? null : data.summary(),
                    BuildInfo.versions()).withApplication(attempt.map(Attempt::application).orElse(null));
            recorder = new RunRecorder(experiment, record, console);
            try {
                return train(executor, experiment, runId, recorder, store, driverReplica, optimizer, schedule, data,
                        existing, start, spec, t0);
            } finally {
                recorder.close();
            }
        } catch (Throwable e) { // a Spark job's failure is a checked SparkException thrown unchecked
            if (e instanceof RunLock.LeaseLostException) {
                throw e; // the experiment is another run's now: nothing more is written, run.json included
            }
            if (recorder != null) {
                recorder.failed(e); // kept only if nothing (a signal) ended the run first
            } else {
                markFailed(experiment, runId, e); // a resumed run says why it stopped this time; a new one has no run.json yet
            }
            throw e;
        }
    }

    private TrainingResult train(StepExecutor executor, Experiment experiment, String runId, RunRecorder recorder,
                                 CheckpointStore store, Replica driverReplica, GroupedOptimizer optimizer,
                                 Schedule schedule, DataFingerprint data, RunRecord existing, TrainingSnapshot first,
                                 ModelSpec spec, long t0) {
        TrainingSnapshot start = first;
        String runDirUri = experiment.runDir(runId);
        if (data != null && existing == null) {
            experiment.writeFingerprint(runId, data);
        }
        RunDirectory runDir = new RunDirectory(runDirUri, hadoop);
        runDir.writeConfig(config.renderJson());
        runDir.writeMetrics(start.history());
        LOG.info("run {} in {}, checkpoints in {}", runId, runDir.location(), store.location());
        RecordListener progress = new RecordListener(recorder);
        TrainingLoop loop = new TrainingLoop(config.train(), executor, optimizer, schedule,
                listeners(store, runDir, runId, driverReplica, progress));
        TrainingSnapshot end;
        int losses = 0;
        while (true) {
            try {
                end = loop.run(start);
                break;
            } catch (StateOwner.StateLost lost) {
                if (++losses > lost.recoveries()) {
                    throw lost;
                }
                // as --resume would: the newest checkpoint of this run, or where it started
                TrainingSnapshot back = store.loadLatest().orElse(null);
                console.printf(Locale.ROOT, "the executors lost the training state (%s); going back to %s "
                                + "(recovery %d of %d)%n", lost.getMessage(), back == null ? "the run's start"
                                : back.midEpoch() ? "the checkpoint in epoch " + (back.epochsDone() + 1)
                                + " after its step " + back.position().stepsDone()
                                : "the checkpoint after epoch " + back.epochsDone(), losses, lost.recoveries());
                start = back != null ? back : start;
                runDir.writeMetrics(start.history());
                GroupedOptimizer again = optimizer(driverReplica);
                loop = new TrainingLoop(config.train(), executor, again, schedule(again),
                        listeners(store, runDir, runId, driverReplica, progress));
            }
        }
        lock.verify();
        runDir.writeModel(end.params(), driverReplica::writeModel);
        Promotion promotion = new PromotionGate(config, hadoop, console).decide(experiment, executor,
                driverReplica, end);
        RunStatus status = promotion.promoted() ? RunStatus.SUCCEEDED : RunStatus.NOT_PROMOTED;
        RunRecord record = recorder.record().withPromotion(promotion).withStatus(status, Instant.now().toString());
        lock.verify();
        if (!recorder.finished(record)) {
            throw new IllegalStateException("run " + runId + " was interrupted before its end was recorded");
        }
        if (promotion.promoted()) {
            experiment.point(Experiment.PRODUCTION, runId);
            experiment.point(Experiment.LATEST, runId);
        }
        report(end, runDir, promotion, runId, t0);
        return new TrainingResult(runId, promotion.promoted() ? RunOutcome.PROMOTED : RunOutcome.NOT_PROMOTED,
                record, spec, end, loop.stopReason(), runDir.location() + "/" + RunDirectory.MODEL);
    }

    private List<TrainingListener> listeners(CheckpointStore store, RunDirectory runDir, String runId,
                                             Replica driverReplica, RecordListener progress) {
        List<TrainingListener> listeners = new ArrayList<>();
        if (ProgressListener.interactive(console)) {
            listeners.add(new ProgressListener(config.train().epochs(), console, 0));
        } else if (config.progress().everySeconds() > 0) {
            listeners.add(new ProgressLog(config.train().epochs(), console, config.progress().everySeconds()));
        }
        listeners.add(new NanGuard());
        if (config.earlyStopping().enabled()) {
            listeners.add(new EarlyStopping(config.earlyStopping()));
        }
        RunLock held = lock;
        listeners.add(new TrainingListener() { // before the checkpoints: a run that lost its lock writes none
            @Override
            public void onRoundEnd(RoundEvent event) {
                held.check();
            }

            @Override
            public void onEpochEnd(EpochEvent event) {
                held.check();
            }
        });
        listeners.add(new CheckpointListener(store, config.output().checkpointEveryEpochs(), config.train().epochs(),
                driverReplica::writeModel, config.output().checkpointEverySteps(),
                config.output().checkpointEveryMinutes(), System::nanoTime));
        listeners.add(new MetricsListener(runDir, config.train().epochs(), console));
        listeners.add(new CurvesListener(runDir, runId));
        listeners.add(progress);
        listeners.addAll(extraListeners);
        return listeners;
    }

    private void report(TrainingSnapshot end, RunDirectory runDir, Promotion promotion, String runId, long t0) {
        double wall = (System.nanoTime() - t0) / 1e9;
        if (end.last() != null) {
            console.printf(Locale.ROOT, "final: %s  val_loss %.4f  epochs %d  wall %.1f s  model %s/%s%n",
                    end.last().valText(), end.last().valLoss(), end.epochsDone(), wall, runDir.location(),
                    RunDirectory.MODEL);
        }
        console.println(promotion.promoted() ? "promoted run " + runId + " to production: " + promotion.reason()
                : "not promoted (production unchanged): " + promotion.reason());
    }

    /**
     * Records a failure in the run's run.json, if it has one and has not recorded its end already,
     * without hiding the error that caused it.
     */
    private void markFailed(Experiment experiment, String runId, Throwable e) {
        try {
            experiment.run(runId).filter(r -> !r.status().finished())
                    .ifPresent(r -> experiment.write(r.failed(Failure.of(e).line(), Instant.now().toString())));
        } catch (RuntimeException secondary) {
            e.addSuppressed(secondary);
        }
    }

    /** Early stopping on val_accuracy needs a model that has an accuracy. */
    private void checkMonitor(Replica replica) {
        TargetKind kind = replica.evaluator().kind();
        if (config.earlyStopping().enabled() && config.earlyStopping().monitor().equals("val_accuracy")
                && !kind.classification()) {
            throw new ConfigException("early-stopping.monitor = val_accuracy, but a " + kind.text() + " model has no "
                    + "accuracy (its loss decides): monitor val_loss or train_loss");
        }
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

    private TrainingSnapshot fresh(Replica replica) {
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
