package dev.sparktrain.job.trainer;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.job.data.SparkData;
import dev.sparktrain.job.engine.SparkExecutor;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.trainer.Backend;
import dev.sparktrain.trainer.DataInput;
import dev.sparktrain.data.DataException;
import dev.sparktrain.experiment.DataFingerprint;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rounds as Spark jobs on the user's {@code JavaSparkContext} ({@link SparkExecutor}): the data is
 * read on the executors into P cached shards, never through the driver. Takes the configured sources,
 * a {@code Dataset<Row>} and a {@code JavaRDD<DataSet>} ({@link SparkInputs}); Spark's Hadoop settings
 * reach the data, the run directory and the checkpoints.
 */
public final class SparkBackend implements Backend {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparkBackend.class);
    private final JavaSparkContext sc;

    private SparkBackend(JavaSparkContext sc) {
        this.sc = sc;
    }

    public static SparkBackend of(JavaSparkContext sc) {
        return new SparkBackend(sc);
    }

    @Override
    public Configuration hadoop() {
        return sc.hadoopConfiguration();
    }

    @Override
    public int[] shape(JobConfig config, DataInput input) {
        checkDevice(config);
        if (input instanceof SparkInputs.Frame f) {
            return f.shape() != null ? f.shape() : SparkData.frameShape(f.df(), f.featuresColumn());
        }
        if (input instanceof SparkInputs.DataSets ds) {
            return SparkData.dataSetShape(ds.batches());
        }
        int[] own = input.shape();
        return own != null ? own : preparation(config).shape(HadoopConf.of(hadoop()));
    }

    /**
     * Besides the configured files: a catalog table's files and a DataFrame's, as Spark lists them
     * ({@code inputFiles()}, each file's length and time read from its file system); none for DataSets.
     */
    @Override
    public Optional<DataFingerprint> fingerprint(JobConfig config, DataInput input) {
        checkDevice(config);
        DataConfig d = config.data();
        if (input instanceof DataInput.Configured && d.format().equals(DataConfig.TABLE)) {
            SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
            DataFingerprint.Part train;
            DataFingerprint.Part val;
            try {
                train = files(spark.table(d.table().name()).inputFiles());
                val = d.table().valName().isEmpty() ? null : files(spark.table(d.table().valName()).inputFiles());
            } catch (RuntimeException e) { // Spark's AnalysisException, undeclared in Java
                return Optional.empty(); // no such table: loading the data says so, naming the key
            }
            return train == null ? Optional.empty()
                    : Optional.of(new DataFingerprint(train, val, config.modelDigest()));
        }
        if (input instanceof SparkInputs.Frame f) {
            DataFingerprint.Part train = files(f.df().inputFiles());
            DataFingerprint.Part val = f.val() == null ? null : files(f.val().inputFiles());
            return train == null || (f.val() != null && val == null) ? Optional.empty()
                    : Optional.of(new DataFingerprint(train, val, config.modelDigest()));
        }
        return Backend.super.fingerprint(config, input);
    }

    /** The listed files, or null when Spark lists none (data not read from files). */
    private DataFingerprint.Part files(String[] uris) {
        if (uris.length == 0) {
            return null;
        }
        List<FileStatus> statuses = new ArrayList<>();
        for (String uri : uris) {
            Path p = new Path(uri);
            try {
                statuses.add(p.getFileSystem(hadoop()).getFileStatus(p));
            } catch (IOException e) {
                throw new DataException("cannot read " + uri + " (listed by Spark): " + e.getMessage(), e);
            }
        }
        return DataFingerprint.Part.of(statuses);
    }

    @Override
    public StepExecutor executor(JobConfig config, DataInput input, ModelSpec spec) {
        if (!sc.master().startsWith("local")) { // an executor's native memory, before any data is read
            long[] size = dev.sparktrain.job.engine.ReplicaPool.withReplica(spec,
                    r -> new long[]{r.numParams(), r.params().dataType().width(), activationsPerExample(r)});
            dev.sparktrain.job.engine.ExecutorMemory.check(sc.getConf(), config.train(), size[0], (int) size[1],
                    size[2]);
        }
        return new SparkExecutor(sc, config, spec, load(config, input));
    }

    /** Values of all layers' outputs for one example, from the model's shapes (0 where they are unknown). */
    public static long activationsPerExample(dev.sparktrain.model.Replica r) {
        try {
            return dev.sparktrain.model.ModelSummary.of(r, java.util.Set.of()).rows().stream()
                    .mapToLong(row -> row.outputShape().stream().filter(d -> d > 0).reduce(1L, Math::multiplyExact))
                    .sum();
        } catch (RuntimeException e) { // a layer DL4J cannot give an output type for: the floor without them
            LOG.debug("no activation shapes for the memory estimate: {}", e.toString());
            return 0;
        }
    }

    /** The input's data in P training and P validation shards, cached on the executors. */
    public SparkData.Loaded load(JobConfig config, DataInput input) {
        checkDevice(config);
        DataPreparation prep = preparation(config);
        if (input instanceof DataInput.Configured) {
            return SparkData.load(sc, config.data(), config.train().seed(), config.train().workers());
        }
        LongAccumulator bytes = SparkData.bytesRead(sc);
        List<SparkData.RowSource> sources = new ArrayList<>();
        DataConfig d = config.data();
        if (input instanceof SparkInputs.Frame f) {
            int[] shape = shape(config, f);
            sources.add(SparkData.frame(f.df(), f.featuresColumn(), f.labelColumn(), prep, shape, train(d), bytes));
            if (f.val() != null) {
                sources.add(SparkData.frame(f.val(), f.featuresColumn(), f.labelColumn(), prep, shape, val(d), bytes));
            }
            requireValidation(d, f.val() != null);
        } else if (input instanceof SparkInputs.DataSets ds) {
            sources.add(SparkData.dataSets(ds.batches(), prep, train(d)));
            if (ds.val() != null) {
                sources.add(SparkData.dataSets(ds.val(), prep, val(d)));
            }
            requireValidation(d, ds.val() != null);
        } else {
            throw new IllegalArgumentException(input.getClass().getSimpleName() + " is not a Spark input: train it "
                    + "with the LocalBackend");
        }
        return SparkData.load(sc, prep, sources, bytes);
    }

    /** A split of the training rows, or validation rows of their own: one of them. */
    private static void requireValidation(DataConfig d, boolean given) {
        if (given == d.valFraction() > 0) {
            throw new dev.sparktrain.config.ConfigException(given
                    ? "validation rows are given and data.val-fraction = " + d.valFraction() + " would split "
                    + "the training rows too: set data.val-fraction = 0"
                    : "no validation rows: give them (withValidation) or set data.val-fraction > 0");
        }
    }

    private static DataPreparation.Input train(DataConfig d) {
        return new DataPreparation.Input(d.train(), false);
    }

    private static DataPreparation.Input val(DataConfig d) {
        return new DataPreparation.Input(d.val(), true);
    }

    private static DataPreparation preparation(JobConfig config) {
        return new DataPreparation(config.data(), config.train().seed(), config.train().workers());
    }

    /**
     * train.device is decided, and GPUs checked, before the run's first Spark job: a job asking for GPUs
     * no executor has would otherwise wait for executors forever. train.rounds = resident is refused
     * here too where Spark is asked to encrypt its traffic ({@code RoundsChannel}), and
     * train.transport = collective where it cannot run ({@code Transport}).
     */
    private void checkDevice(JobConfig config) {
        dev.sparktrain.job.engine.RoundsChannel.plainAllowed(config.train().rounds(), sc.getConf());
        dev.sparktrain.job.engine.Transport.choose(config.train(), sc, -1);
        dev.sparktrain.job.engine.Devices.choose(config.device(), sc, config.train().workers(), 1);
    }
}
