package dev.sparktrain.job.cli;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.experiment.TrainedModel;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.run.TrainingRun;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code evaluate} and {@code predict} share: a trained model ({@code --model}), the config that
 * describes it and the data (CONFIG, else the one saved with the model), and the saved parameters
 * placed into the configured model.
 */
final class ModelOptions {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "HOCON job config file (default: the config saved with the model)")
    Path configFile;

    @Option(names = "--model", required = true, paramLabel = "PATH",
            description = "a run directory, a model.zip or a checkpoint directory (any Hadoop URI)")
    String model;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    List<String> overrides = new ArrayList<>();

    /** The model and the resolved config, read with the Hadoop settings spark-submit passes ({@code spark.hadoop.*}). */
    Loaded load() {
        Configuration hadoop = HadoopSettings.fromSparkConf();
        TrainedModel trained = TrainedModel.at(model, hadoop);
        JobConfig config;
        if (configFile != null) {
            config = ConfigLoader.load(configFile, overrides);
        } else {
            String saved = trained.configJson().orElseThrow(() -> new ConfigException("--model " + model + " is a "
                    + "model.zip alone: give the job's CONFIG too (it says what the model and the data are)"));
            config = ConfigLoader.parse(saved, overrides);
        }
        return new Loaded(trained, config);
    }

    /** A trained model and the config it is used with. */
    record Loaded(TrainedModel trained, JobConfig config) {
        /** The configured model, built for the data's shape, and the saved parameters placed into it. */
        Placed place(Configuration hadoop, PrintStream console) {
            ModelSpec spec = new TrainingRun(config, console, hadoop).modelSpec();
            Replica replica = TrainingRun.replica(spec, config);
            return new Placed(spec, replica, trained.paramsFor(replica, hadoop));
        }
    }

    /** The model spec, a driver replica and the parameters. */
    record Placed(ModelSpec spec, Replica replica, INDArray params) {
    }
}
