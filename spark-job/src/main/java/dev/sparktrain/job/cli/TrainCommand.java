package dev.sparktrain.job.cli;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.shards.PreparedData;
import dev.sparktrain.job.data.SparkData;
import dev.sparktrain.job.engine.ThreadBudget;
import dev.sparktrain.job.trainer.SparkBackend;
import dev.sparktrain.run.TrainingResult;
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

/**
 * {@code train}: one run of the experiment {@code output.dir}, trained on Spark (or in-process with
 * {@code --local}); its exit code tells a scheduler how it ended.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model: one run of the experiment output.dir (runs/<run-id>/, the pointers latest and "
                + "production, a lock).", "Keys and defaults: common/src/main/resources/dev/sparktrain/config/defaults.conf"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:trained and promoted to production, or nothing to do (the run id already succeeded, or "
                    + "--skip-if-unchanged found the data and config unchanged)",
            "1:the run failed (bad data, divergence, a failed Spark job, I/O); started again with its run id it "
                    + "resumes",
            "2:bad config or usage",
            "3:trained but not promoted: not better than production by promote.min-delta (also when that run "
                    + "id is started again)",
            "4:the experiment is locked by another run"})
public final class TrainCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "HOCON job config file")
    Path configFile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", description = "continue the experiment's newest run, if it did not finish, from its "
            + "last valid checkpoint (train.resume=true)")
    boolean resume;

    @Option(names = "--local", description = "single-process trainer (Spark SQL sources are read with an embedded "
            + "local Spark first)")
    boolean local;

    @Option(names = "--run-id", paramLabel = "ID", description = "this run's id (output.run-id); default: its UTC "
            + "start time. A finished run's id does nothing; a failed or interrupted one resumes")
    String runId;

    @Option(names = "--skip-if-unchanged", description = "exit 0 without training when a finished run already saw "
            + "the same data files and config (train.skip-if-unchanged=true)")
    boolean skipIfUnchanged;

    @Option(names = "--force-promote", description = "promote this run whatever the gate's figures "
            + "(promote.force=true)")
    boolean forcePromote;

    @Option(names = "--outcome", paramLabel = "URI", description = "also write how this command ended (outcome, "
            + "exit code, its line, run id) to URI, any Hadoop file system: where a launcher reads it when the "
            + "exit code does not reach it (cluster deploy mode); read it back with: sparktrain outcome URI")
    String outcome;

    /** The file --outcome names, opened by {@link Main} before the arguments are parsed (null without it). */
    OutcomeFile outcomeFile;

    @Override
    public Integer call() {
        List<String> all = new ArrayList<>(overrides);
        if (resume) {
            all.add("train.resume=true");
        }
        if (runId != null) {
            all.add("output.run-id=\"" + runId + "\"");
        }
        if (skipIfUnchanged) {
            all.add("train.skip-if-unchanged=true");
        }
        if (forcePromote) {
            all.add("promote.force=true");
        }
        JobConfig config = ConfigLoader.load(configFile, all);
        LOG.info("resolved config:\n{}", config.renderJson());
        TrainingResult result;
        if (local && !config.data().sparkSql()) {
            result = Trainer.builder(config).backend(new LocalBackend()).build().fit();
        } else if (local) {
            result = trainLocallyFromSparkSql(config);
        } else {
            try (JavaSparkContext sc = startSpark(sparkConf(config))) {
                result = Trainer.builder(config).backend(SparkBackend.of(sc)).build().fit();
            }
        }
        if (outcomeFile != null) {
            outcomeFile.result(result);
        }
        return result.outcome().exitCode();
    }

    /**
     * The single-process trainer on data only Spark SQL reads: the same preparation step run by an
     * embedded local Spark, the shards collected into this process, then trained here.
     */
    private static TrainingResult trainLocallyFromSparkSql(JobConfig config) {
        SparkConf conf = sparkConf(config).setMaster("local[*]").set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = startSpark(conf)) {
            SparkBackend spark = SparkBackend.of(sc);
            var fingerprint = spark.fingerprint(config, DataInput.configured()).orElse(null);
            SparkData.Loaded loaded = spark.load(config, DataInput.configured());
            PreparedData data = new PreparedData(loaded.train().collect(), loaded.val().collect());
            return Trainer.builder(config).backend(new LocalBackend(sc.hadoopConfiguration())).build()
                    .fit(DataInput.prepared(data, fingerprint));
        }
    }

    /**
     * spark-submit's settings win; the config supplies the master and name when it gave none,
     * executors get OMP_WAIT_POLICY = PASSIVE unless spark.executorEnv.OMP_WAIT_POLICY says otherwise,
     * train.device = gpu asks for GPUs per task and executor (unless given), on YARN and Kubernetes ND4J's
     * off-heap limits follow the executors' memory settings ({@code ExecutorMemory}),
     * and Spark's console progress bar stays off (the run's own bar or progress lines say more and the
     * two would overwrite each other) unless spark.ui.showConsoleProgress is given.
     */
    /**
     * Starts Spark with {@code conf}. A cluster manager that refuses the application (resources above
     * what it can grant, an unknown queue, a master it cannot reach) stops the command here, before any
     * work, as a config error (exit code 2) naming spark.master and Spark's reason.
     */
    static JavaSparkContext startSpark(SparkConf conf) {
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) { // Spark throws its checked SparkException unchecked
            throw new ConfigException("Spark could not start on spark.master = " + conf.get("spark.master", "?")
                    + ": " + dev.sparktrain.run.Failure.describe(e), e);
        }
    }

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
        dev.sparktrain.job.engine.Devices.request(config.device(), conf);
        dev.sparktrain.job.engine.ExecutorMemory.limit(conf);
        if (!conf.contains("spark.ui.showConsoleProgress")) {
            conf.set("spark.ui.showConsoleProgress", "false");
        }
        if (!conf.contains("spark.executorEnv." + ThreadBudget.OMP_WAIT_POLICY)) {
            // idle OpenMP threads sleep instead of spinning on cores the executor's other tasks need
            conf.setExecutorEnv(ThreadBudget.OMP_WAIT_POLICY, "PASSIVE");
        }
        return conf;
    }
}
