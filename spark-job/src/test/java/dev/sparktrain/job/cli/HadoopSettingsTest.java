package dev.sparktrain.job.cli;

import dev.sparktrain.data.TestFileSystem;
import dev.sparktrain.job.engine.SharedSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job's Hadoop settings ({@code spark.hadoop.*}, as spark-submit passes them) reach every reader on
 * the driver and the executors, the run directory and the checkpoint writer: data, output and
 * checkpoints all live on a file system scheme that only those settings name.
 */
class HadoopSettingsTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void aFileSystemConfiguredOnlyThroughSparkHadoopKeysServesDataRunDirectoryAndCheckpoints() throws Exception {
        assertThrows(UnsupportedFileSystemException.class,
                () -> new Path(TestFileSystem.uri(dir)).getFileSystem(new Configuration()),
                "without the job's settings the scheme is unknown");
        java.nio.file.Path data = dir.resolve("data");
        Files.createDirectories(data);
        SplittableRandom rng = new SplittableRandom(3);
        for (int f = 0; f < 3; f++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                int label = rng.nextInt(2);
                text.append(String.format(Locale.ROOT, "%.3f,%.3f,%d%n", label + rng.nextDouble(), rng.nextDouble(),
                        label));
            }
            Files.writeString(data.resolve("part-" + f + ".csv"), text);
        }
        SharedSpark.forCommandLine();
        System.setProperty("spark.local.dir", Files.createTempDirectory("sparktrain-spark").toString());
        System.setProperty("spark.hadoop.fs." + TestFileSystem.SCHEME + ".impl", TestFileSystem.class.getName());
        System.setProperty("spark.hadoop.fs." + TestFileSystem.SCHEME + ".impl.disable.cache", "true");
        long before = TestFileSystem.bytesRead();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), "train", "--set", "data.format=csv", "--set", "data.classes=2",
                "--set", "data.train.path=\"" + TestFileSystem.uri(data) + "\"", "--set", "data.val-fraction=0.2",
                "--set", "model.type=mlp", "--set", "model.hidden=[4]", "--set", "train.epochs=2",
                "--set", "train.batch-size=16", "--set", "output.dir=\"" + TestFileSystem.uri(dir.resolve("run")) + "\"",
                "--set", "checkpoint.dir=\"" + TestFileSystem.uri(dir.resolve("ckpt")) + "\"", "--run-id", "h");
        assertEquals(0, code, err.toString());
        assertTrue(TestFileSystem.bytesRead() - before > 0, "the data was read through the scheme");
        assertTrue(Files.isRegularFile(dir.resolve("run/runs/h/model.zip")), "the run directory was written through it");
        assertTrue(Files.isRegularFile(dir.resolve("run/runs/h/metrics.jsonl")));
        assertEquals("h", Files.readString(dir.resolve("run/production")).trim(), "and the experiment's pointers");
        assertEquals("epoch-000002", Files.readString(dir.resolve("ckpt/h/latest")).trim(), "and the checkpoints");
    }
}
