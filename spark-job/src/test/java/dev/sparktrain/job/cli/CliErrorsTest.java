package dev.sparktrain.job.cli;

import dev.sparktrain.data.ImageFolders;
import dev.sparktrain.job.engine.SharedSpark;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator reads when a job on Spark fails, as a separate JVM logging through the job's own
 * conf/log4j2.properties (as scripts/train.sh and the README's spark-submit do): standard error ends
 * with one line naming the file, row, column or key and the value, the exit code is the documented
 * one, and no stack frame is printed, unless --debug asks for the trace.
 */
@Tag("e2e")
class CliErrorsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void localSpark() {
        SharedSpark.forCommandLine();
    }

    record Result(int code, String stderr) {
        String lastLine() {
            List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    @Test
    void aBadValueInACsvPartFoundByATaskIsTheLastLineWithItsFileLineAndColumn() throws Exception {
        Path data = dir.resolve("csv");
        Random r = new Random(1);
        for (int f = 0; f < 2; f++) {
            StringBuilder text = new StringBuilder("a,b,label\n");
            for (int i = 0; i < 60; i++) {
                String b = f == 1 && i == 40 ? "x7" : String.format(Locale.ROOT, "%.3f", r.nextDouble());
                text.append(String.format(Locale.ROOT, "%.3f,%s,%d%n", r.nextDouble(), b, i % 2));
            }
            Files.createDirectories(data);
            Files.writeString(data.resolve("part-" + f + ".csv"), text);
        }
        Result res = run("train", "--set", "data.format=csv", "--set", "data.classes=2", "--set", "data.csv.header=true",
                "--set", "data.train.path=\"" + data.toUri() + "\"", "--set", "data.val-fraction=0.25",
                "--set", "model.type=mlp", "--set", "model.hidden=[4]", "--set", "train.epochs=1",
                "--set", "output.dir=\"" + dir.resolve("out-csv").toUri() + "\"");
        assertEquals(1, res.code(), res.stderr());
        assertTrue(res.lastLine().startsWith("error: ") && res.lastLine().contains("csv/part-1.csv:42:2")
                && res.lastLine().contains("'x7'"), res.stderr());
        assertNoStackFrames(res);
    }

    @Test
    void anImageThatDoesNotDecodeIsTheLastLineWithItsFile() throws Exception {
        Path images = dir.resolve("images");
        for (int g = 0; g < 12; g++) {
            ImageFolders.write(images.resolve("c" + (g % 2) + "/" + g + ".png"), 4, 4, 0x010101 * g * 20, "png");
        }
        Files.write(images.resolve("c1/broken.png"), "not a png".getBytes(StandardCharsets.US_ASCII));
        Result res = run("train", "--set", "data.format=image-folder", "--set", "data.classes=2",
                "--set", "data.train.path=\"" + images.toUri() + "\"", "--set", "data.val-fraction=0.25",
                "--set", "data.image.channels=1", "--set", "data.image.height=4", "--set", "data.image.width=4",
                "--set", "model.type=mlp", "--set", "model.hidden=[4]", "--set", "train.epochs=1",
                "--set", "train.batch-size=4", "--set", "output.dir=\"" + dir.resolve("out-img").toUri() + "\"");
        assertEquals(1, res.code(), res.stderr());
        assertTrue(res.lastLine().startsWith("error: ") && res.lastLine().contains("c1/broken.png"), res.stderr());
        assertNoStackFrames(res);
    }

    @Test
    void aConfigErrorFoundAgainstTheModelIsTheLastLineWithExitCode2AndDebugAddsTheTrace() throws Exception {
        SparkSession spark = SparkSession.builder().sparkContext(SharedSpark.context().sc()).getOrCreate();
        String table = dir.resolve("table.parquet").toUri().toString();
        List<org.apache.spark.sql.Row> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(RowFactory.create(new double[]{i, -i}, i % 2));
        }
        spark.createDataFrame(rows, new StructType().add("x", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("y", DataTypes.IntegerType)).coalesce(1).write().parquet(table);
        String[] job = {"train", "--set", "data.format=parquet", "--set", "data.classes=2",
                "--set", "data.train.path=\"" + table + "\"", "--set", "data.val-fraction=0.25",
                "--set", "data.table.features-column=x", "--set", "data.table.label-column=y",
                "--set", "data.image.channels=1", "--set", "data.image.height=1", "--set", "data.image.width=2",
                "--set", "model.type=mlp", "--set", "model.hidden=[4]",
                "--set", "optimizer.groups=[{layers = [head], lr = 0.1}]",
                "--set", "output.dir=\"" + dir.resolve("out-table").toUri() + "\""};
        Result res = run(job);
        assertEquals(2, res.code(), res.stderr());
        assertTrue(res.lastLine().startsWith("config error: ")
                && res.lastLine().contains("optimizer.groups[0] names layer 'head', which does not exist"),
                res.stderr());
        assertNoStackFrames(res);

        List<String> debug = new ArrayList<>(List.of(job));
        debug.add("--debug");
        Result traced = run(debug.toArray(String[]::new));
        assertEquals(2, traced.code(), traced.stderr());
        assertEquals(res.lastLine(), traced.lastLine(), "the error line stays last");
        assertTrue(traced.stderr().contains("\tat dev.sparktrain."), "--debug prints the trace: " + traced.stderr());
    }

    private static void assertNoStackFrames(Result res) {
        assertFalse(res.stderr().contains("\tat "), "no stack frame on standard error:\n" + res.stderr());
        assertFalse(res.stderr().contains("Exception in thread"), res.stderr());
    }

    /** The job's main class in a JVM of its own, logging through conf/log4j2.properties. */
    private static Result run(String... args) throws Exception {
        Path conf = Path.of("..", "conf", "log4j2.properties").toAbsolutePath().normalize();
        assertTrue(Files.exists(conf), conf.toString());
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || arg.startsWith("-Djdk.")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xmx1g", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
                "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
                "-Dlog4j2.configurationFile=" + conf.toUri(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the job did not end in 180 s");
        Result result = new Result(child.exitValue(), Files.readString(err));
        System.out.println("exit " + result.code() + ", standard error:\n" + result.stderr());
        return result;
    }
}
