package dev.sparktrain.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job as users run it (the default config through the CLI, embedded local[2] Spark) on a subset
 * of the real Fashion-MNIST: 12,000 training and 1,000 test images, 2 epochs, 2 workers.
 */
@Tag("e2e")
class FashionMnistEndToEndTest {
    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

    @TempDir
    Path dir;

    @Test
    void defaultJobOnASubsetReachesSeventyPercent() throws Exception {
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(Files.exists(DATA), "Fashion-MNIST not installed (dataset-fashion-mnist)");
        }
        Path conf = Path.of("../conf/fashion-mnist-lenet.conf");
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), "train", conf.toString(),
                "--set", "data.train.limit=12000", "--set", "data.val.limit=1000",
                "--set", "train.epochs=2", "--set", "train.workers=2",
                "--set", "spark.master=local[2]", "--set", "output.dir=" + dir.toUri(), "--run-id", "e2e");
        assertEquals(0, code, err.toString());

        Path run = dir.resolve("runs/e2e");
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(2, lines.size());
        JsonNode last = new ObjectMapper().readTree(lines.get(1));
        // 12,000 examples hashed into 2 shards; each shard yields the larger shard's size per epoch
        long trained = last.get("train_examples").asLong();
        assertTrue(trained >= 12_000 && trained < 12_400 && trained % 2 == 0, "examples per epoch " + trained);
        assertEquals(1000, last.get("val_examples").asLong());
        double accuracy = last.get("val_accuracy").asDouble();
        System.out.printf("end-to-end: 12,000/1,000 Fashion-MNIST, 2 epochs, 2 workers: val_accuracy %.4f%n", accuracy);
        assertTrue(accuracy > 0.70, "validation accuracy " + accuracy);
        assertTrue(Files.exists(run.resolve("model.zip")));
        assertTrue(Files.exists(run.resolve("checkpoints/latest")));
        assertEquals("e2e", Files.readString(dir.resolve("production")).trim(), "the first run becomes production");
    }
}
