package dev.sparktrain.ml;

import dev.sparktrain.config.JobConfig;
import dev.sparktrain.job.trainer.SparkBackend;
import dev.sparktrain.job.trainer.SparkInputs;
import dev.sparktrain.model.Dl4jModels;
import dev.sparktrain.run.TrainingResult;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;

/**
 * One fit of an estimator: the rows checked in one pass ({@link DataStats}), the Params as a
 * {@code Trainer} ({@link TrainerSettings}) on the {@link SparkBackend} of the data's SparkContext,
 * the run trained as the command line trains it, and its network kept as model.zip bytes. Each fit is
 * a run of its own id in the experiment directory, a temporary one unless set.
 */
final class Fitting {
    private static final Logger LOG = LoggerFactory.getLogger("dev.sparktrain.ml");
    /** Losses of a one-output network whose label is the value 0 or 1. */
    private static final Set<String> ONE_OUTPUT_LOSSES = Set.of("bce", "bce_with_logits");
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** What the labels are: classes ({@code classes} of them, 0 = from the labels) or values. */
    record Target(boolean classification, int classes) {
    }

    private Fitting() {
    }

    static FittedNetwork fit(SparkTrainParams p, Dataset<?> dataset, String featuresCol, String labelCol, Target target) {
        Dataset<Row> df = dataset.toDF();
        StructType schema = df.schema();
        FeaturesColumn.check(schema, featuresCol);
        FeaturesColumn.checkLabel(schema, labelCol);
        Dataset<Row> rows = df.select(FeaturesColumn.asArray(schema, featuresCol), col(labelCol).cast("double").as(labelCol));
        DataStats stats = DataStats.of(rows, featuresCol, labelCol);
        int width = stats.checkedWidth();

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        TrainerSettings s = TrainerSettings.of(p);
        JobConfig config = s.config();
        checkNoTransforms(config);
        Dl4jSizes sizes = dl4jSizes(s, config, sc);
        if (sizes != null && sizes.inputs() > 0 && sizes.inputs() != width) {
            throw new IllegalArgumentException("model: the DL4J configuration takes " + sizes.inputs() + " inputs, "
                    + "featuresCol '" + featuresCol + "' holds " + width + " values per row");
        }
        labels(s, config, stats, sizes, target);

        Path temp = null;
        if (p.isSet(p.outputDir()) && !p.getOutputDir().isBlank()) {
            s.builder().set("output.dir", p.getOutputDir());
        } else if (!s.configured("output.dir")) {
            temp = tempDir();
            s.builder().set("output.dir", temp.toUri().toString());
            if (!s.configured("checkpoint.every-epochs")) {
                s.builder().set("checkpoint.every-epochs", 0); // nothing resumes from a directory removed after the fit
            }
        }
        if (!s.configured("output.run-id")) {
            s.builder().set("output.run-id", "fit-" + ZonedDateTime.now(ZoneOffset.UTC).format(RUN_TIME) + "-"
                    + UUID.randomUUID().toString().substring(0, 8));
        }
        try {
            return train(s, sc, rows, featuresCol, labelCol, width);
        } finally {
            if (temp != null) {
                delete(temp);
            }
        }
    }

    private static FittedNetwork train(TrainerSettings s, JavaSparkContext sc, Dataset<Row> rows, String featuresCol,
                                       String labelCol, int width) {
        var trainer = s.builder().backend(SparkBackend.of(sc)).console(LogConsole.to(LOG)).build();
        SparkInputs.Frame input = SparkInputs.frame(rows, featuresCol, labelCol).withShape(1, 1, width);
        if (trainer.config().data().valFraction() == 0) {
            input = input.withValidation(rows); // validation figures on the training rows themselves
        }
        LOG.info("fitting on {} features: {}", width, trainer.config().resolved().root().render(
                com.typesafe.config.ConfigRenderOptions.concise()));
        TrainingResult r = trainer.fit(input);
        if (!r.outcome().trained()) {
            throw new IllegalStateException("run " + r.runId() + " of " + trainer.config().output().dir()
                    + " did not train (" + r.outcome() + "): give another output.run-id, or no outputDir");
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try {
            r.model().writeModel(r.params(), zip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fitted network: " + e.getMessage(), e);
        }
        return FittedNetwork.of(zip.toByteArray(), width);
    }

    /** Sets the classes and label kind the data and the model decide; checks every label. */
    private static void labels(TrainerSettings s, JobConfig config, DataStats stats, Dl4jSizes sizes, Target target) {
        long modelOutputs = sizes == null ? -1 : sizes.outputs();
        boolean oneOutput;
        int outputs;
        Map<String, Object> loss = config.model().loss();
        if (!target.classification()) {
            stats.checkValues();
            if (loss == null && sizes == null) {
                throw new IllegalArgumentException("loss: a regressor needs a loss of values (mse, l1, smooth_l1, "
                        + "huber, ...), found \"\" (softmax + cross-entropy)");
            }
            oneOutput = true;
            outputs = 1;
        } else {
            oneOutput = modelOutputs > 0 ? modelOutputs == 1 : loss != null && ONE_OUTPUT_LOSSES.contains(loss.get("type"));
            if (oneOutput && target.classes() > 2) {
                throw new IllegalArgumentException("classes = " + target.classes() + ", but a one-output model (loss "
                        + (loss == null ? "of the DL4J configuration" : loss.get("type")) + ") has 2 classes");
            }
            int classes = stats.classes(oneOutput ? 2 : target.classes() > 0 ? target.classes() : (int) modelOutputs);
            outputs = oneOutput ? 1 : classes;
        }
        if (modelOutputs > 0 && modelOutputs != outputs) {
            throw new IllegalArgumentException("model: the DL4J configuration has " + modelOutputs + " outputs, "
                    + (target.classification() ? "classes = " + outputs : "a regressor has 1"));
        }
        s.builder().set("data.classes", outputs).set("data.target", oneOutput ? "value" : "class");
    }

    private static Dl4jSizes dl4jSizes(TrainerSettings s, JobConfig config, JavaSparkContext sc) {
        if (!Dl4jModels.TYPE.equals(config.model().type())) {
            return null;
        }
        String json = s.dl4jJson() != null ? s.dl4jJson() : Dl4jModels.read(config.model().path(), sc.hadoopConfiguration());
        return Dl4jSizes.of(json);
    }

    /** Feature transforms of the config would apply to training only: a model's transform would not repeat them. */
    private static void checkNoTransforms(JobConfig config) {
        var t = config.data().transforms();
        if (t.scale() != 1 || t.mean().length > 0 || t.normalizeFromTrain()) {
            throw new IllegalArgumentException("config: data.transforms (scale, mean, std, normalize-from-train) are "
                    + "not applied by the model's transform: scale the features in the Pipeline (StandardScaler)");
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sparktrain-fit-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary experiment directory: " + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot remove the temporary experiment directory {}: {}", dir, e.getMessage());
        }
    }
}
