package dev.sparktrain.job.data;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.TestFileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each source byte is read once per load: with P = 4 shards, a multi-file CSV folder and a
 * multi-file Parquet folder are read (by the driver's listing and header peek, and by the tasks) at
 * most 1.1 times their size, counted by Hadoop's statistics of a file system scheme that only this
 * job's {@code spark.hadoop.*} settings know (so every reader also proves it got the job's settings).
 */
class SourceBytesReadTest {
    private static final int SHARDS = 4;
    @TempDir
    static Path dir;
    private static JavaSparkContext sc;

    @BeforeAll
    static void spark() throws IOException {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("bytes-read")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.local.dir", Files.createTempDirectory("sparktrain-spark").toString())
                .set("spark.hadoop.fs." + TestFileSystem.SCHEME + ".impl", TestFileSystem.class.getName())
                .set("spark.hadoop.fs." + TestFileSystem.SCHEME + ".impl.disable.cache", "true");
        sc = new JavaSparkContext(conf);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static long size(Path folder, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith("part-")
                    && p.getFileName().toString().endsWith(suffix)).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Loads {@code data} into 4 shards and returns the bytes read through the test scheme. */
    private static long load(DataConfig data, long sourceBytes, String what) {
        long before = TestFileSystem.bytesRead();
        SparkData.Loaded loaded = SparkData.load(sc, data, 5, SHARDS);
        long read = TestFileSystem.bytesRead() - before;
        System.out.printf(Locale.ROOT, "%s: source %,d bytes, read %,d bytes (%.3f x), tasks counted %,d, "
                        + "%d + %d examples%n", what, sourceBytes, read, read / (double) sourceBytes,
                loaded.bytesRead(), loaded.trainSize(), loaded.valSize());
        assertEquals(sourceBytes, loaded.sourceBytes(), "the listed sources' size");
        // the tasks' own count (what the load logs): all but what the driver read (listing, headers, a footer)
        assertTrue(loaded.bytesRead() >= 0.95 * sourceBytes && loaded.bytesRead() <= read,
                "the tasks' own count: " + loaded.bytesRead());
        loaded.unpersist();
        return read;
    }

    @Test
    void aMultiFileCsvFolderIsReadOnce() throws IOException {
        Path folder = dir.resolve("csv");
        Files.createDirectories(folder);
        SplittableRandom rng = new SplittableRandom(1);
        int rows = 0;
        for (int f = 0; f < 6; f++) {
            StringBuilder text = new StringBuilder("a,b,c,d,label\n");
            for (int i = 0; i < 6000; i++) {
                text.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f,%d%n", rng.nextDouble(),
                        rng.nextDouble(), rng.nextDouble(), rng.nextDouble(), rng.nextInt(3)));
                rows++;
            }
            Files.writeString(folder.resolve(String.format("part-%05d.csv", f)), text);
        }
        long source = size(folder, ".csv");
        DataConfig data = ConfigLoader.parse("", List.of("data.format=csv", "data.csv.header=true",
                "data.classes=3", "data.val-fraction=0.2",
                "data.train.path=\"" + TestFileSystem.uri(folder) + "\"")).data();
        long read = load(data, source, "CSV, 6 files");
        assertTrue(read >= source && read <= 1.1 * source, read + " bytes read of a " + source + "-byte source");
        assertEquals(36_000, rows);
    }

    @Test
    void aMultiFileParquetFolderIsReadOnce() throws IOException {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        SplittableRandom rng = new SplittableRandom(2);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            float[] f = new float[16];
            for (int k = 0; k < f.length; k++) {
                f[k] = (float) rng.nextDouble();
            }
            rows.add(RowFactory.create(f, rng.nextInt(3)));
        }
        StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType))
                .add("label", DataTypes.IntegerType);
        Path folder = dir.resolve("parquet");
        spark.createDataFrame(rows, schema).repartition(6).write().parquet(folder.toUri().toString());
        long source = size(folder, ".parquet");
        DataConfig data = ConfigLoader.parse("", List.of("data.format=parquet", "data.classes=3",
                "data.val-fraction=0.2", "data.image.channels=1", "data.image.height=4", "data.image.width=4",
                "data.train.path=\"" + TestFileSystem.uri(folder) + "\"")).data();
        long read = load(data, source, "Parquet, 6 files");
        assertTrue(read >= source && read <= 1.1 * source, read + " bytes read of a " + source + "-byte source");
    }
}
