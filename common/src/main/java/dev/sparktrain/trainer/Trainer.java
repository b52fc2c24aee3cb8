package dev.sparktrain.trainer;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.run.TrainingResult;
import dev.sparktrain.run.TrainingRun;
import dev.sparktrain.train.TrainingListener;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run as a library call, in the spirit of PyTorch's loop and DJL's {@code EasyTrain}: a
 * model, a loss, an optimizer and scheduler, listeners and a backend, then {@link #fit} on the data.
 * Everything not set takes the config's defaults ({@code defaults.conf}), and every value is checked as
 * a config file's is, with the same messages. A run behaves exactly like the command line's with the
 * same config (the CLI is a client of this class): one run of the experiment {@code output.dir} with
 * its run directory, checkpoints, resume, warm start, promotion gate and lock; the result's
 * {@code outcome()} says how it ended (its {@code exitCode()} is the command line's).
 *
 * <pre>{@code
 * TrainingResult r = Trainer.builder()
 *         .model(Sequential.input(1, 28, 28).flatten().linear(64).relu().linear(10).build())
 *         .optimizer("adam", 1e-3).epochs(3).batchSize(32).workers(2)
 *         .set("output.dir", "runs/my-model")
 *         .listener(new EarlyStopping("val_loss", 2, 0.0))
 *         .backend(SparkBackend.of(sc))          // or new LocalBackend(), the default
 *         .build()
 *         .fit(SparkInputs.frame(df, "features", "label"));
 * }</pre>
 */
public final class Trainer {
    private final JobConfig config;
    private final ModelSpec model;
    private final String dl4jJson;
    private final List<TrainingListener> listeners;
    private final Backend backend;
    private final PrintStream console;

    private Trainer(Builder b, JobConfig config) {
        this.config = config;
        this.model = b.model;
        this.dl4jJson = b.dl4jJson;
        this.listeners = List.copyOf(b.listeners);
        this.backend = b.backend == null ? new LocalBackend() : b.backend;
        this.console = b.console;
    }

    /** A trainer starting from the defaults. */
    public static Builder builder() {
        return new Builder(ConfigLoader.parse("", List.of()));
    }

    /** A trainer starting from a job config (a file loaded with {@link ConfigLoader}, overrides applied). */
    public static Builder builder(JobConfig config) {
        return new Builder(config);
    }

    /** A trainer starting from a HOCON job config file. */
    public static Builder fromConfigFile(Path file) {
        return new Builder(ConfigLoader.load(file, List.of()));
    }

    /** The resolved, checked config this trainer runs (what the run directory's config.json holds). */
    public JobConfig config() {
        return config;
    }

    /** Trains on the sources the config names. */
    public TrainingResult fit() {
        return fit(DataInput.configured());
    }

    /** Trains on {@code data}: the backend prepares it into shards, then the run goes as the CLI's does. */
    public TrainingResult fit(DataInput data) {
        TrainingRun run = new TrainingRun(config, console, backend.hadoop()).withListeners(listeners)
                .withFingerprint(() -> backend.fingerprint(config, data));
        int[] shape = backend.shape(config, data);
        if (dl4jJson != null) {
            run.withModel(ModelSpec.dl4j(dl4jJson, shape[0], shape[1], shape[2], config.data().classes()));
        } else if (model != null) {
            run.withModel(model);
        } else {
            run.withShape(shape);
        }
        return run.fit(spec -> backend.executor(config, data, spec));
    }

    /** Sets what to train; {@link #build()} checks it all. Required: nothing (the defaults train LeNet). */
    public static final class Builder {
        private final JobConfig base;
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final List<TrainingListener> listeners = new ArrayList<>();
        private ModelSpec model;
        private String dl4jJson;
        private Backend backend;
        private PrintStream console = System.out;

        private Builder(JobConfig base) {
            this.base = base;
        }

        /** Any config key, as in a config file ({@code train.epochs}, {@code data.val-fraction}, {@code loss}, ...). */
        public Builder set(String key, Object value) {
            values.put(key, value);
            return this;
        }

        /** A model built with {@code Sequential}, {@code Zoo} or by hand. */
        public Builder model(ModelSpec spec) {
            this.model = spec;
            this.dl4jJson = null;
            return this;
        }

        /** A DL4J MultiLayerNetwork configuration as it is; its updater is replaced by {@link #optimizer}. */
        public Builder model(MultiLayerConfiguration conf) {
            return dl4j(conf.toJson(), "MultiLayerConfiguration");
        }

        /** A DL4J ComputationGraph configuration as it is; its updater is replaced by {@link #optimizer}. */
        public Builder model(ComputationGraphConfiguration conf) {
            return dl4j(conf.toJson(), "ComputationGraphConfiguration");
        }

        private Builder dl4j(String json, String what) {
            this.dl4jJson = json;
            this.model = null;
            set("model.type", "dl4j");
            return set("model.path", "(a " + what + " given from Java)");
        }

        /**
         * A DL4J model in a file (any Hadoop URI), as {@code model.type = dl4j} reads it: a configuration
         * JSON ({@code MultiLayerConfiguration.toJson()}), or a saved model.zip whose parameters are the
         * starting point. Its updater is replaced by {@link #optimizer}.
         */
        public Builder dl4jModel(String uri) {
            this.model = null;
            this.dl4jJson = null;
            set("model.type", "dl4j");
            return set("model.path", uri);
        }

        /** The loss by PyTorch's functional name with PyTorch's arguments, e.g. {@code ("smooth_l1", Map.of("beta", 0.5))}. */
        public Builder loss(String type, Map<String, ?> args) {
            Map<String, Object> loss = new LinkedHashMap<>(args);
            loss.put("type", type);
            return set("loss", loss);
        }

        /**
         * The optimizer ({@code Algorithms.names()}: sgd, adam, adamw, rmsprop, adagrad, nadam, radam) with
         * torch's defaults and this lr; replaces the config's optimizer block, param groups included.
         */
        public Builder optimizer(String type, double lr) {
            return optimizer(type, lr, Map.of());
        }

        /**
         * {@code torch.optim.<Type>(params, lr=lr, **args)}: args by torch's names ({@code "weight_decay"},
         * {@code "betas"} as a list), checked with torch's messages; replaces the config's optimizer block.
         * Groups, frozen layers and clipping: {@code set("optimizer.groups", ...)} after this call.
         */
        public Builder optimizer(String type, double lr, Map<String, ?> args) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("type", type);
            block.put("lr", lr);
            args.forEach((k, v) -> block.put(k.replace('_', '-'), v));
            values.keySet().removeIf(k -> k.startsWith("optimizer."));
            return set("optimizer", block);
        }

        /**
         * An lr scheduler stepped once per epoch, by PyTorch's name and arguments
         * ({@code ("cosine", Map.of("T_max", 10))}); replaces the config's scheduler block.
         */
        public Builder scheduler(String type, Map<String, ?> args) {
            return scheduler(type, args, false);
        }

        /** As above, stepped once per optimizer step when {@code perStep} (warm-up, OneCycleLR). */
        public Builder scheduler(String type, Map<String, ?> args, boolean perStep) {
            Map<String, Object> block = new LinkedHashMap<>(args);
            block.put("type", type);
            block.put("interval", perStep ? "step" : "epoch");
            values.keySet().removeIf(k -> k.startsWith("scheduler."));
            return set("scheduler", block);
        }

        public Builder epochs(int epochs) {
            return set("train.epochs", epochs);
        }

        /** Minibatch size per worker. */
        public Builder batchSize(int batchSize) {
            return set("train.batch-size", batchSize);
        }

        /** Shards and parallel replicas (P). */
        public Builder workers(int workers) {
            return set("train.workers", workers);
        }

        /** k: 1 = synchronous SGD, more = parameter averaging every k local steps. */
        public Builder averagingFrequency(int k) {
            return set("train.averaging-frequency", k);
        }

        public Builder seed(long seed) {
            return set("train.seed", seed);
        }

        /**
         * This run's id in the experiment {@code output.dir} (default: its UTC start time): a finished
         * run's id does nothing, a failed or interrupted one resumes.
         */
        public Builder runId(String id) {
            return set("output.run-id", id);
        }

        /** Adds a listener, called after the default ones (progress bar on a terminal, NaN guard, early stopping, checkpoints, metrics). */
        public Builder listener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /** Where rounds run; default: this process ({@link LocalBackend}). */
        public Builder backend(Backend b) {
            this.backend = b;
            return this;
        }

        /** Where the epoch lines go; default System.out. */
        public Builder console(PrintStream out) {
            this.console = out;
            return this;
        }

        /** Checks every value as a config file's (same messages) and returns the trainer. */
        public Trainer build() {
            return new Trainer(this, values.isEmpty() ? base : ConfigLoader.with(base, values));
        }
    }
}
