package dev.sparktrain.job.cli;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.job.data.SparkData;
import dev.sparktrain.job.predict.PredictionSchema;
import dev.sparktrain.job.predict.Predictions;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code predict}: batch inference over the configured data on the executors, one row per example with
 * its stable id, its label, the predicted class or value and the probabilities, written with Spark's
 * output committer (see {@link Predictions}).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score the configured data with a trained model and write one row per example: id, label, "
                + "prediction, probabilities.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:failed (bad data, I/O, a lost Spark job); nothing is left at --out",
                "2:bad config or usage (also a model that does not fit the configured one, an --out that exists)"})
public final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "the output directory (any Hadoop URI)")
    String out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "parquet or csv (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "all",
            description = "the examples to score: all, train or val (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--batch-size", paramLabel = "N", description = "examples per forward pass "
            + "(predict.batch-size, default 1000)")
    Integer batchSize;

    @Option(names = "--overwrite", description = "replace --out if it exists")
    boolean overwrite;

    @Override
    public Integer call() {
        format = format.toLowerCase(Locale.ROOT);
        if (!Predictions.FORMATS.contains(format)) {
            throw new ConfigException("--format must be parquet or csv, found '" + format + "'");
        }
        if (!split.equals("all") && !split.equals("train") && !split.equals("val")) {
            throw new ConfigException("--split must be all, train or val, found '" + split + "'");
        }
        if (batchSize != null) {
            model.overrides.add("predict.batch-size=" + batchSize);
        }
        ModelOptions.Loaded loaded = model.load();
        JobConfig config = loaded.config();
        try (JavaSparkContext sc = TrainCommand.startSpark(TrainCommand.sparkConf(config))) {
            Predictions.checkOutput(out, overwrite, sc.hadoopConfiguration());
            ModelOptions.Placed placed = loaded.place(sc.hadoopConfiguration(), System.out);
            List<String> keep = config.predict().keepColumns();
            Dataset<Row> kept = keep.isEmpty() ? null : SparkData.idsWithColumns(sc, config.data(),
                    config.train().seed(), config.train().workers(), keep);
            boolean labelled = SparkData.labelled(sc, config.data(), config.train().seed(), config.train().workers());
            SparkData.Loaded data = SparkData.load(sc, config.data(), config.train().seed(), config.train().workers(),
                    !labelled);
            try {
                JavaRDD<dev.sparktrain.data.Dataset> shards = switch (split) {
                    case "train" -> data.trainUnaugmented();
                    case "val" -> data.val();
                    default -> data.trainUnaugmented().union(data.val());
                };
                PredictionSchema schema = new PredictionSchema(placed.replica().evaluator(),
                        config.data().valueTarget() ? 1 : 0, labelled);
                long n = Predictions.write(sc, shards, placed.spec(), placed.params(), schema,
                        config.predict().batchSize(), kept, out, format, overwrite);
                System.out.printf(Locale.ROOT, "wrote %,d predictions (%s model, %s examples) to %s as %s%n", n,
                        schema.evaluator().kind().text(), split, out, format);
            } finally {
                data.unpersist();
            }
        }
        return 0;
    }
}
