package dev.sparktrain.job.bench;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.job.cli.TrainCommand;
import dev.sparktrain.job.engine.SparkExecutor;
import dev.sparktrain.run.TrainingRun;
import dev.sparktrain.train.TrainingSnapshot;
import org.apache.spark.api.java.JavaSparkContext;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The memory benchmark. {@code generate DIR N}: writes N 32x32 RGB PNGs into DIR/class-k/ (10 classes,
 * a class-specific colour bar plus noise). {@code train DIR [extra key=value ...]}: trains an MLP on that
 * image folder for one epoch on local[2] (2 workers, images read lazily per minibatch, 10% validation
 * split) while sampling this JVM's memory, then prints one result line:
 * {@code train_examples peak_heap peak_live_heap retained_heap peak_rss peak_rss_minus_heap peak_javacpp
 * peak_direct (MiB) seconds val_acc peak_rss_file (MiB)}. {@code generate-csv FILE N} and {@code train-csv TRAIN VAL}: the same
 * on a numeric CSV table of 3 x 32 x 32 floats per row ({@link NumericCsv}) with {@code data.storage =
 * local-disk}. Run it with the heap pre-touched ({@code -Xms = -Xmx,
 * -XX:+AlwaysPreTouch}): then the resident set beyond the heap is the off-heap use (ND4J's buffers
 * included, which JavaCPP's counter does not see).
 */
public final class MemoryBenchmark {
    private MemoryBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 3 && args[0].equals("generate")) {
            generate(Path.of(args[1]), Integer.parseInt(args[2]));
        } else if (args.length >= 3 && args[0].equals("generate-csv")) {
            NumericCsv.write(Path.of(args[1]), Integer.parseInt(args[2]));
        } else if (args.length >= 2 && args[0].equals("train")) {
            train(Path.of(args[1]), List.of(args).subList(2, args.length));
        } else if (args.length >= 3 && args[0].equals("train-csv")) {
            trainCsv(Path.of(args[1]), Path.of(args[2]), List.of(args).subList(3, args.length));
        } else {
            System.err.println("usage: MemoryBenchmark generate DIR N | generate-csv FILE N | train DIR [key=value ...]"
                    + " | train-csv TRAIN.csv VAL.csv [key=value ...]");
            System.exit(2);
        }
    }

    static void generate(Path root, int n) throws IOException {
        SplittableRandom rng = new SplittableRandom(n);
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean bar = x / 3 == label;
                    int v = Math.min(255, (bar ? 200 : 20) + rng.nextInt(50));
                    img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | (label * 25));
                }
            }
            Path file = root.resolve("class-" + label).resolve(String.format(Locale.ROOT, "%07d.png", i));
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        }
    }

    static void train(Path root, List<String> extra) {
        measure(List.of("data.format=image-folder", "data.train.path=\"" + root.toUri() + "\"",
                "data.val-fraction=0.1", "data.image.channels=3", "data.image.height=32", "data.image.width=32",
                "output.dir=\"" + root.resolveSibling(root.getFileName() + "-run").toUri() + "\""), extra);
    }

    /**
     * Trains the same MLP on a numeric CSV table ({@link NumericCsv}) with a separate validation file,
     * its shards streamed into executor-local files ({@code data.storage = local-disk}).
     */
    static void trainCsv(Path train, Path val, List<String> extra) {
        measure(List.of("data.format=csv", "data.train.path=\"" + train.toUri() + "\"",
                "data.val.path=\"" + val.toUri() + "\"", "data.storage=local-disk",
                "output.dir=\"" + train.resolveSibling(train.getFileName() + "-run").toUri() + "\""), extra);
    }

    private static void measure(List<String> data, List<String> extra) {
        List<String> keys = new java.util.ArrayList<>(data);
        keys.addAll(List.of("data.classes=10", "model.type=mlp", "model.hidden=[32]", "train.epochs=1",
                "train.batch-size=32", "train.workers=2", "train.averaging-frequency=4", "data.num-workers=1",
                "optimizer.lr=0.001", "checkpoint.every-epochs=0", "spark.master=\"local[2]\""));
        keys.addAll(extra);
        JobConfig config = ConfigLoader.parse("", keys);
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        long images;
        TrainingSnapshot end;
        double seconds;
        MemorySampler sampler;
        long retained;
        try (JavaSparkContext sc = new JavaSparkContext(TrainCommand.sparkConf(config))) {
            sampler = new MemorySampler(20);
            long t0 = System.nanoTime();
            end = new TrainingRun(config, quiet, sc.hadoopConfiguration())
                    .run(spec -> new SparkExecutor(sc, config, spec));
            seconds = (System.nanoTime() - t0) / 1e9;
            sampler.close();
            retained = sampler.retainedHeap(); // the cached shards are still held here
            images = end.last().trainExamples();
        }
        double mb = 1024 * 1024;
        long heapCommitted = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        System.out.printf(Locale.ROOT, "RESULT %d %.0f %.0f %.0f %.0f %.0f %.1f %.1f %.1f %.3f %.0f%n", images,
                sampler.peakHeap() / mb, sampler.peakLive() / mb, retained / mb, sampler.peakRss() / mb,
                (sampler.peakRss() - heapCommitted) / mb, sampler.peakNative() / mb, sampler.peakDirect() / mb,
                seconds, end.last().valAccuracy(), sampler.peakRssFile() / mb);
    }
}
