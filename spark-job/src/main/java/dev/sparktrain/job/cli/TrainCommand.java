package dev.sparktrain.job.cli;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.shards.PreparedData;
import dev.sparktrain.job.data.SparkData;
import dev.sparktrain.job.trainer.SparkBackend;
import dev.sparktrain.trainer.DataInput;
import dev.sparktrain.trainer.LocalBackend;
import dev.sparktrain.trainer.Trainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code train}: trains the configured model on Spark (or in-process with {@code --local}). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model. Keys and defaults: common/src/main/resources/dev/sparktrain/config/defaults.conf")
public final class TrainCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "HOCON job config file")
    Path configFile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", description = "continue from the latest valid checkpoint (train.resume=true)")
    boolean resume;

    @Option(names = "--local", description = "single-process trainer (Spark SQL sources are read with an embedded "
            + "local Spark first)")
    boolean local;

    @Override
    public Integer call() {
        List<String> all = new ArrayList<>(overrides);
        if (resume) {
            all.add("train.resume=true");
        }
        JobConfig config = ConfigLoader.load(configFile, all);
        LOG.info("resolved config:\n{}", config.renderJson());
        if (local && !config.data().sparkSql()) {
            Trainer.builder(config).backend(new LocalBackend()).build().fit();
            return 0;
        }
        if (local) {
            trainLocallyFromSparkSql(config);
            return 0;
        }
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf(config))) {
            Trainer.builder(config).backend(SparkBackend.of(sc)).build().fit();
        }
        return 0;
    }

    /**
     * The single-process trainer on data only Spark SQL reads: the same preparation step run by an
     * embedded local Spark, the shards collected into this process, then trained here.
     */
    private static void trainLocallyFromSparkSql(JobConfig config) {
        SparkConf conf = sparkConf(config).setMaster("local[*]").set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            SparkData.Loaded loaded = SparkBackend.of(sc).load(config, DataInput.configured());
            PreparedData data = new PreparedData(loaded.train().collect(), loaded.val().collect());
            Trainer.builder(config).backend(new LocalBackend(sc.hadoopConfiguration())).build()
                    .fit(DataInput.prepared(data));
        }
    }

    /** spark-submit's settings win; the config supplies the master and name when it gave none. */
    public static SparkConf sparkConf(JobConfig config) {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(config.spark().master());
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(config.spark().appName());
        }
        if (conf.get("spark.master").startsWith("local") && !conf.contains("spark.ui.enabled")) {
            conf.set("spark.ui.enabled", "false");
        }
        return conf;
    }
}
