package dev.sparktrain.job.cli;

import dev.sparktrain.job.engine.SharedSpark;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line on an embedded Spark: bad data found by a task is one line naming the file, line
 * and value, with exit code 1, and leaves an earlier run's files as they were; {@code --local} trains
 * on data only Spark SQL reads.
 */
class SparkPathCliTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void localSpark() {
        SharedSpark.forCommandLine();
    }

    private static String csvParts(String name, boolean bad) throws Exception {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        Random r = new Random(1);
        for (int f = 0; f < 2; f++) {
            StringBuilder text = new StringBuilder("a,b,label\n");
            for (int i = 0; i < 60; i++) {
                int y = r.nextInt(2);
                String b = bad && f == 1 && i == 40 ? "x7" : String.format(Locale.ROOT, "%.3f", r.nextDouble());
                text.append(String.format(Locale.ROOT, "%.3f,%s,%d%n", y + r.nextDouble(), b, y));
            }
            Files.writeString(folder.resolve("part-" + f + ".csv"), text);
        }
        return folder.toUri().toString();
    }

    private static String[] job(String data, String out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--set", "data.format=csv", "--set", "data.classes=2",
                "--set", "data.csv.header=true", "--set", "data.train.path=\"" + data + "\"",
                "--set", "data.val-fraction=0.25", "--set", "model.type=mlp", "--set", "model.hidden=[4]",
                "--set", "train.epochs=1", "--set", "train.batch-size=8",
                "--set", "output.dir=\"" + out + "\""));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void badDataFoundByATaskIsOneLineAndAnEarlierRunIsUntouched() throws Exception {
        Path out = dir.resolve("run");
        StringWriter ok = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(ok, true), job(csvParts("good", false), out.toUri().toString(),
                "--run-id", "good")), ok.toString());
        Map<String, String> before = hashes(out);
        assertTrue(before.keySet().containsAll(List.of("runs/good/metrics.jsonl", "runs/good/config.json",
                "runs/good/model.zip", "runs/good/run.json", "production", "latest")), before.keySet().toString());

        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), job(csvParts("bad", true), out.toUri().toString(),
                "--run-id", "bad"));
        assertEquals(1, code, err.toString());
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), "one line: " + message);
        assertTrue(message.startsWith("error: ") && message.contains("bad/part-1.csv:42:2")
                && message.contains("'x7' is not a finite number"), message);
        assertEquals(before, hashes(out), "every file of the experiment byte-identical, nothing added");
    }

    /** SHA-256 of every file under {@code root} (Hadoop's .crc files included), by relative path. */
    static Map<String, String> hashes(Path root) throws java.io.IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(f).toString(), org.apache.commons.codec.digest.DigestUtils.sha256Hex(
                        Files.readAllBytes(f)));
            }
        }
        return out;
    }

    @Test
    void localTrainsOnASparkSqlSourceThroughTheSamePreparation() throws Exception {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("write").getOrCreate();
        Random r = new Random(2);
        List<org.apache.spark.sql.Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int y = r.nextInt(2);
            rows.add(RowFactory.create(new double[]{y + 0.3 * r.nextGaussian(), 0.3 * r.nextGaussian()}, y));
        }
        String path = dir.resolve("t.parquet").toUri().toString();
        spark.createDataFrame(rows, new StructType().add("features", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.IntegerType)).repartition(2).write().parquet(path);
        spark.stop();
        Path out = dir.resolve("local-parquet");
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), "train", "--local", "--set", "data.format=parquet",
                "--set", "data.train.path=\"" + path + "\"", "--set", "data.val-fraction=0.25", "--set", "data.classes=2",
                "--set", "data.image.channels=1", "--set", "data.image.height=1", "--set", "data.image.width=2",
                "--set", "model.type=mlp", "--set", "model.hidden=[4]", "--set", "train.epochs=3", "--set", "train.batch-size=8",
                "--set", "optimizer.lr=0.05", "--set", "output.dir=\"" + out.toUri() + "\"", "--run-id", "p");
        assertEquals(0, code, err.toString());
        List<String> lines = Files.readAllLines(out.resolve("runs/p/metrics.jsonl"));
        assertEquals(3, lines.size());
        double accuracy = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(2))
                .get("val_accuracy").asDouble();
        assertTrue(accuracy > 0.85, "two separated classes: " + accuracy);
    }
}
