package dev.sparktrain.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.data.shards.PreparedData;
import dev.sparktrain.eval.Evaluator;
import dev.sparktrain.experiment.TrainedModel;
import dev.sparktrain.job.engine.SharedSpark;
import dev.sparktrain.model.Replica;
import dev.sparktrain.run.TrainingRun;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model trained through the command line, then evaluated and used for batch prediction by the
 * command line on local[2]: evaluate gives the run's last validation figures; predict writes one row per
 * example whose probabilities are the model's own outputs computed here on the driver; bad uses are
 * refused with one line and leave nothing behind.
 */
@Tag("e2e")
class ScoringCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void localSpark() {
        SharedSpark.forCommandLine();
    }

    /** Three classes in 4 features, 10,000 rows in two part files; a header row. */
    static void writeData(Path folder, int rows, long seed, int badLabelAt) throws Exception {
        Files.createDirectories(folder);
        Random r = new Random(seed);
        for (int part = 0; part < 2; part++) {
            StringBuilder text = new StringBuilder("a,b,c,d,label\n");
            for (int i = 0; i < rows / 2; i++) {
                int y = r.nextInt(3);
                for (int k = 0; k < 4; k++) {
                    text.append(String.format(Locale.ROOT, "%.4f,", (k == y ? 1.5 : 0) + r.nextGaussian()));
                }
                text.append(part == 1 && i == badLabelAt ? 7 : y).append('\n');
            }
            Files.writeString(folder.resolve("part-" + part + ".csv"), text);
        }
    }

    static List<String> data(Path folder) {
        return List.of("--set", "data.format=csv", "--set", "data.classes=3", "--set", "data.csv.header=true",
                "--set", "data.labels=index", "--set", "data.train.path=\"" + folder.toUri() + "\"",
                "--set", "data.val-fraction=0.2", "--set", "model.type=mlp", "--set", "model.hidden=[8]",
                "--set", "loss.type=cross_entropy", "--set", "train.workers=2");
    }

    static RetrainingTest.Outcome cli(String command, List<String> options, String... extra) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(options);
        args.addAll(List.of(extra));
        return RetrainingTest.run(args);
    }

    @Test
    void evaluateRepeatsTheRunsFiguresAndPredictWritesTheModelsOutputs() throws Exception {
        Path rows = dir.resolve("rows");
        writeData(rows, 10_000, 5, -1);
        Path exp = dir.resolve("exp");
        RetrainingTest.Outcome trained = cli("train", data(rows), "--run-id", "r", "--set", "train.epochs=1",
                "--set", "train.batch-size=32", "--set", "output.dir=\"" + exp.toUri() + "\"");
        assertEquals(0, trained.code(), trained.err());
        Path run = exp.resolve("runs/r");
        JsonNode last = JSON.readTree(Files.readAllLines(run.resolve("metrics.jsonl")).get(0));

        // evaluate: the run directory alone (its config.json), distributed; the JSON report too
        Path report = dir.resolve("report.json");
        RetrainingTest.Outcome eval = cli("evaluate", List.of("--model", run.toString()), "--out", report.toString());
        assertEquals(0, eval.code(), eval.out() + eval.err());
        JsonNode r = JSON.readTree(report.toFile());
        System.out.print(eval.out());
        assertEquals(last.get("val_examples").asLong(), r.get("examples").asLong());
        assertEquals(last.get("val_loss").asDouble(), r.get("loss").asDouble(), 1e-12);
        assertEquals(last.get("val_accuracy").asDouble(), r.get("accuracy").asDouble(), 1e-12);
        assertTrue(r.get("accuracy").asDouble() > 0.6, "three separable classes: " + r.get("accuracy"));
        long diagonal = 0;
        long all = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                long v = r.get("confusion_matrix").get(i).get(j).asLong();
                all += v;
                diagonal += i == j ? v : 0;
            }
        }
        assertEquals(r.get("examples").asLong(), all);
        assertEquals(r.get("accuracy").asDouble(), (double) diagonal / all, 1e-15);
        assertEquals(3, r.get("per_class").size());
        assertTrue(eval.out().contains("confusion matrix"), eval.out());

        // predict: every row, once, with the driver's own outputs
        Path out = dir.resolve("predictions");
        RetrainingTest.Outcome predicted = cli("predict", List.of("--model", run.resolve("model.zip").toString()),
                "--out", out.toString());
        assertEquals(2, predicted.code(), "a model.zip alone needs the config: " + predicted.err());
        assertTrue(predicted.err().contains("give the job's CONFIG"), predicted.err());
        Path conf = dir.resolve("job.conf");
        Files.writeString(conf, "output.dir = \"" + exp.toUri() + "\"\n");
        predicted = cli("predict", List.of(conf.toString(), "--model", run.resolve("model.zip").toString()),
                data(rows).toArray(String[]::new));
        assertEquals(2, predicted.code(), "--out is required");
        List<String> predictArgs = new ArrayList<>(List.of(conf.toString(), "--model", run.toString()));
        predictArgs.addAll(data(rows));
        predicted = cli("predict", predictArgs, "--out", out.toString());
        assertEquals(0, predicted.code(), predicted.out() + predicted.err());
        assertTrue(predicted.out().contains("wrote 10,000 predictions (multiclass model, all examples)"),
                predicted.out());
        SparkSession spark = SparkSession.builder().master("local[2]").getOrCreate();
        List<Row> written = spark.read().parquet(out.toString()).collectAsList();
        spark.stop(); // the next command starts its own
        assertEquals(10_000, written.size());
        Map<Long, double[]> expected = driverScores(conf, rows, run);
        assertEquals(10_000, expected.size());
        for (Row row : written) {
            double[] p = expected.get(row.getLong(row.fieldIndex("id")));
            for (int c = 0; c < 3; c++) {
                assertEquals(p[c], row.getDouble(row.fieldIndex("probability_" + c)), 1e-6, "row " + row);
            }
            assertEquals(Evaluator.argMax(p), row.getInt(row.fieldIndex("prediction")));
        }

        // an output path that exists is refused before any work
        RetrainingTest.Outcome again = cli("predict", predictArgs, "--out", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--out " + out + " already exists"), again.err());

        // a model that does not fit the configured one: every parameter named with both shapes
        RetrainingTest.Outcome wide = cli("evaluate", List.of("--model", run.toString()), "--set", "model.hidden=[16]");
        assertEquals(2, wide.code());
        assertTrue(wide.err().contains("[4, 8] there, [4, 16] here") || wide.err().contains("[8, 4] there, [16, 4] here"),
                wide.err());

        // a label outside [0, classes) found by a task: one line naming the file and line; nothing written
        Path bad = dir.resolve("bad");
        writeData(bad, 200, 6, 10);
        List<String> badArgs = new ArrayList<>(List.of(conf.toString(), "--model", run.toString()));
        badArgs.addAll(data(bad));
        Path badOut = dir.resolve("bad-predictions");
        RetrainingTest.Outcome failed = cli("predict", badArgs, "--out", badOut.toString(), "--format", "csv");
        assertEquals(1, failed.code(), failed.out() + failed.err());
        System.out.println("bad label: " + failed.err().strip() + "\nwide model: " + wide.err().strip());
        assertTrue(failed.err().contains("part-1.csv") && failed.err().contains("7"), failed.err());
        assertFalse(Files.exists(badOut), "no partial output");
    }

    @Test
    void predictKeepsTheColumnsOfASparkSqlSourceItNames() throws Exception {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("write").getOrCreate();
        Random r = new Random(3);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int y = r.nextInt(2);
            rows.add(org.apache.spark.sql.RowFactory.create("user-" + i, new double[]{y + 0.3 * r.nextGaussian(),
                    0.3 * r.nextGaussian()}, y));
        }
        rows.add(rows.get(0)); // a duplicate row: one example, both rows get its prediction
        String path = dir.resolve("events.parquet").toUri().toString();
        spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType().add("user",
                        org.apache.spark.sql.types.DataTypes.StringType)
                .add("features", org.apache.spark.sql.types.DataTypes.createArrayType(
                        org.apache.spark.sql.types.DataTypes.DoubleType))
                .add("label", org.apache.spark.sql.types.DataTypes.IntegerType)).repartition(2).write().parquet(path);
        String unlabeled = dir.resolve("unlabeled.parquet").toUri().toString();
        spark.read().parquet(path).drop("label").write().parquet(unlabeled);
        spark.stop();
        List<String> job = List.of("--set", "data.format=parquet", "--set", "data.train.path=\"" + path + "\"",
                "--set", "data.val-fraction=0.25", "--set", "data.classes=2", "--set", "data.image.channels=1",
                "--set", "data.image.height=1", "--set", "data.image.width=2",
                "--set", "model.type=mlp", "--set", "model.hidden=[4]", "--set", "train.epochs=2",
                "--set", "train.batch-size=8", "--set", "train.workers=2",
                "--set", "output.dir=\"" + dir.resolve("events").toUri() + "\"");
        assertEquals(0, cli("train", job, "--run-id", "e").code());
        String model = dir.resolve("events/runs/e").toString();

        Path out = dir.resolve("events-predictions");
        RetrainingTest.Outcome kept = cli("predict", List.of("--model", model), "--out", out.toString(),
                "--set", "predict.keep-columns=[user]");
        assertEquals(0, kept.code(), kept.out() + kept.err());
        // the same rows without their label column: scored all the same, the rows have no label
        Path scored = dir.resolve("unlabeled-predictions");
        RetrainingTest.Outcome noLabels = cli("predict", List.of("--model", model), "--out", scored.toString(),
                "--set", "predict.keep-columns=[user]", "--set", "data.train.path=\"" + unlabeled + "\"");
        assertEquals(0, noLabels.code(), noLabels.out() + noLabels.err());
        SparkSession read = SparkSession.builder().master("local[1]").getOrCreate();
        List<Row> written = read.read().parquet(out.toString()).collectAsList();
        List<String> columns = List.of(read.read().parquet(out.toString()).columns());
        Map<String, Double> withoutLabels = new HashMap<>();
        read.read().parquet(scored.toString()).collectAsList().forEach(w -> withoutLabels.put(w.getString(1),
                w.getDouble(w.fieldIndex("probability_1"))));
        List<String> unlabeledColumns = List.of(read.read().parquet(scored.toString()).columns());
        read.stop();
        assertEquals(List.of("id", "user", "label", "prediction", "probability_0", "probability_1"), columns);
        assertEquals(List.of("id", "user", "prediction", "probability_0", "probability_1"), unlabeledColumns);
        assertEquals(301, written.size(), "every source row, the duplicate too");
        assertEquals(300, written.stream().map(w -> w.getString(1)).distinct().count());
        assertEquals(300, withoutLabels.size());
        for (Row w : written) {
            assertEquals(w.getDouble(w.fieldIndex("probability_1")), withoutLabels.get(w.getString(1)), 1e-12);
        }

        RetrainingTest.Outcome missing = cli("predict", List.of("--model", model), "--out",
                dir.resolve("none").toString(), "--set", "predict.keep-columns=[user, country]");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no column 'country' (predict.keep-columns); its columns are [user, "
                + "features, label]"), missing.err());
        assertFalse(Files.exists(dir.resolve("none")));
    }

    /** Each example's class probabilities, computed here from the locally prepared data. */
    private static Map<Long, double[]> driverScores(Path conf, Path rows, Path run) {
        List<String> overrides = new ArrayList<>();
        List<String> d = data(rows);
        for (int i = 1; i < d.size(); i += 2) {
            overrides.add(d.get(i));
        }
        JobConfig config = ConfigLoader.load(conf, overrides);
        Replica replica = new Replica(new TrainingRun(config, System.out).modelSpec());
        replica.setParams(TrainedModel.at(run.toString(), new Configuration()).paramsFor(replica, new Configuration()));
        DataPreparation prep = new DataPreparation(config.data(), config.train().seed(), config.train().workers());
        PreparedData prepared = prep.prepareViews(prep.prepareLocally(HadoopConf.defaults()));
        Map<Long, double[]> scores = new HashMap<>();
        List<Dataset> all = new ArrayList<>(prepared.train());
        all.addAll(prepared.val());
        for (Dataset ds : all) {
            int[] idx = IntStream.range(0, ds.size()).toArray();
            double[][] s = replica.evaluator().scores(replica.output(ds.batch(idx, 3, DataType.FLOAT).getFeatures()))
                    .toDoubleMatrix();
            for (int i : idx) {
                scores.put(ds.id(i), s[i]);
            }
        }
        return scores;
    }
}
