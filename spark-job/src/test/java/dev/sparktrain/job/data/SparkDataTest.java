package dev.sparktrain.job.data;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.IdxFiles;
import dev.sparktrain.data.ImageDataset;
import dev.sparktrain.data.ImageFolders;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.data.shards.PreparedData;
import dev.sparktrain.job.engine.SharedSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data path on Spark: every source format becomes the same shards as the single-process
 * preparation of the same rows (placement and order by the rows' ids), and bad sources are named.
 */
class SparkDataTest {
    @TempDir
    Path dir;

    static SparkSession spark() {
        JavaSparkContext sc = SharedSpark.context();
        return SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    }

    private static final StructType ROWS = new StructType()
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType))
            .add("y", DataTypes.IntegerType);

    /** Row g: features {g, g + 0.5, -g, 1}, label g % 3. */
    private static List<Row> rows(int n) {
        List<Row> rows = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            rows.add(RowFactory.create(new float[]{g, g + 0.5f, -g, 1}, g % 3));
        }
        return rows;
    }

    /** The same rows in memory. */
    private static ArrayDataset inMemory(int n) {
        ArrayDataset.Builder b = new ArrayDataset.Builder(new int[]{1, 1, 4}, 0);
        for (int g = 0; g < n; g++) {
            b.add(Example.classified(new float[]{g, g + 0.5f, -g, 1}, g % 3));
        }
        return b.build();
    }

    /** n rows as Parquet (or {@code format}) part files, 3 of them. */
    static String writeArrayTable(Path dir, int n) {
        return write(dir, n, "parquet");
    }

    private static String write(Path dir, int n, String format) {
        String path = dir.resolve("table." + format).toUri().toString();
        spark().createDataFrame(rows(n), ROWS).repartition(3).write().format(format).save(path);
        return path;
    }

    static DataConfig config(String path, String... overrides) {
        List<String> all = new ArrayList<>(List.of("data.format=parquet", "data.train.path=\"" + path + "\"",
                "data.val.path=\"" + path + "\"", "data.classes=3", "data.image.channels=1", "data.image.height=1",
                "data.image.width=4", "data.table.features-column=pixels", "data.table.label-column=y"));
        all.addAll(List.of(overrides));
        return ConfigLoader.parse("", all).data();
    }

    private static void assertSameShards(List<Dataset> expected, List<Dataset> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int s = 0; s < expected.size(); s++) {
            assertEquals(expected.get(s).size(), actual.get(s).size(), what + " shard " + s);
            for (int i = 0; i < expected.get(s).size(); i++) {
                Example e = expected.get(s).get(i);
                Example a = actual.get(s).get(i);
                String where = what + " shard " + s + " example " + i;
                assertEquals(e.id(), a.id(), where);
                assertArrayEquals(e.features(), a.features(), where);
                assertEquals(e.label(), a.label(), where);
                assertArrayEquals(e.target(), a.target(), where);
            }
        }
    }

    @Test
    void aParquetTableBecomesTheShardsTheSingleProcessPreparationGivesTheSameRows() {
        String path = writeArrayTable(dir, 50);
        DataConfig data = config(path, "data.val-fraction=0.2", "data.storage=memory-and-disk-ser");
        SparkData.Loaded loaded = SparkData.load(SharedSpark.context(), data, 9, 2);
        assertEquals(StorageLevel.MEMORY_AND_DISK_SER(), loaded.raw().getStorageLevel());
        PreparedData expected = new DataPreparation(data, 9, 2).prepare(inMemory(50), null);
        assertSameShards(expected.train(), loaded.train().collect(), "train");
        assertSameShards(expected.val(), loaded.val().collect(), "val");
        assertEquals(50, loaded.trainSize() + loaded.valSize());
        assertArrayEquals(expected.trainSizes(), loaded.trainSizes());
        assertTrue(loaded.bytesRead() > 0 && loaded.sourceBytes() > 0, loaded.bytesRead() + " of " + loaded.sourceBytes());
        loaded.unpersist();
    }

    @Test
    void orcJsonLinesAndACatalogTableGiveTheSameShards() {
        DataConfig parquet = config(writeArrayTable(dir, 40), "data.val-fraction=0.25");
        List<Dataset> expected = SparkData.load(SharedSpark.context(), parquet, 3, 2).train().collect();
        for (String format : List.of("orc", "json")) {
            DataConfig data = config(write(dir, 40, format), "data.format=" + format, "data.val-fraction=0.25");
            assertSameShards(expected, SparkData.load(SharedSpark.context(), data, 3, 2).train().collect(), format);
        }
        spark().createDataFrame(rows(60), ROWS).write().mode(SaveMode.Overwrite).saveAsTable("rows_table");
        DataConfig table = config("unused", "data.format=table", "data.table.name=rows_table",
                "data.table.where=y < 2", "data.table.val-where=y = 2");
        SparkData.Loaded loaded = SparkData.load(SharedSpark.context(), table, 3, 2);
        assertEquals(40, loaded.trainSize(), "rows with y in {0, 1}");
        assertEquals(20, loaded.valSize(), "rows with y = 2");
        for (Dataset shard : loaded.val().collect()) {
            for (int i = 0; i < shard.size(); i++) {
                assertEquals(2, shard.get(i).label());
            }
        }
    }

    @Test
    void sparktrainsOwnFormatsOnSparkGiveTheSingleProcessShards() throws IOException {
        // CSV part files (one of them gzipped), read by split tasks
        Files.createDirectories(dir.resolve("csv"));
        for (int f = 0; f < 3; f++) {
            StringBuilder text = new StringBuilder("a,b,label\n");
            for (int i = f; i < 90; i += 3) {
                text.append(i).append(',').append(i * 0.5).append(',').append(i % 2).append('\n');
            }
            Files.writeString(dir.resolve("csv/part-" + f + ".csv"), text);
        }
        DataConfig csv = ConfigLoader.parse("", List.of("data.format=csv", "data.csv.header=true", "data.classes=2",
                "data.train.path=\"" + dir.resolve("csv").toUri() + "\"", "data.val-fraction=0.3",
                "data.train.limit=70")).data();
        assertSameAsLocal(csv, 3);
        IdxFiles.writeSynthetic(dir, "t", 45, 10, 3, true);
        DataConfig idx = ConfigLoader.parse("", List.of(
                "data.train.images=\"" + dir.resolve("t-images-idx3-ubyte.gz").toUri() + "\"",
                "data.train.labels=\"" + dir.resolve("t-labels-idx1-ubyte.gz").toUri() + "\"",
                "data.val-fraction=0.2")).data();
        assertSameAsLocal(idx, 2);
        for (int g = 0; g < 9; g++) {
            ImageFolders.write(dir.resolve("imgs/c" + (g % 2) + "/" + g + ".png"), 3, 3, 0x010101 * g * 30, "png");
        }
        DataConfig images = ConfigLoader.parse("", List.of("data.format=image-folder",
                "data.train.path=\"" + dir.resolve("imgs").toUri() + "\"", "data.val-fraction=0.3", "data.classes=2",
                "data.image.channels=1", "data.image.height=3", "data.image.width=3")).data();
        SparkData.Loaded loaded = assertSameAsLocal(images, 2);
        assertTrue(loaded.train().collect().get(0) instanceof ImageDataset, "image shards hold paths");
    }

    private static SparkData.Loaded assertSameAsLocal(DataConfig data, int shards) {
        SparkData.Loaded loaded = SparkData.load(SharedSpark.context(), data, 4, shards);
        PreparedData local = new DataPreparation(data, 4, shards).prepareLocally(HadoopConf.defaults());
        assertSameShards(local.train(), loaded.train().collect(), data.format() + " train");
        assertSameShards(local.val(), loaded.val().collect(), data.format() + " val");
        return loaded;
    }

    @Test
    void imageBytesAreKeptEncodedAndDecodedPerExample() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (int g = 0; g < 6; g++) {
            BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 5; x++) {
                    img.setRGB(x, y, g % 2 == 0 ? 0xFF0000 : 0x00FF00);
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            rows.add(RowFactory.create(png.toByteArray(), (long) (g % 2)));
        }
        StructType schema = new StructType().add("image", DataTypes.BinaryType).add("label", DataTypes.LongType);
        String path = dir.resolve("images.parquet").toUri().toString();
        spark().createDataFrame(rows, schema).coalesce(1).write().parquet(path);
        DataConfig data = config(path, "data.table.features-column=image", "data.table.label-column=label",
                "data.image.channels=3", "data.image.height=2", "data.image.width=2", "data.classes=2");
        List<Dataset> shards = SparkData.load(SharedSpark.context(), data, 1, 1).train().collect();
        Dataset shard = shards.get(0);
        assertTrue(shard instanceof ImageDataset, "kept encoded: " + shard.getClass());
        assertEquals(6, shard.size(), "identical rows share an id, and every one is kept");
        for (int i = 0; i < 6; i++) {
            Example e = shard.get(i);
            float[] expected = new float[12];
            Arrays.fill(expected, e.label() == 0 ? 0 : 4, e.label() == 0 ? 4 : 8, 1f); // red or green, CHW
            assertArrayEquals(expected, e.features(), "example " + i);
        }
    }

    @Test
    void aCorruptImageRowIsNamedByItsFile() {
        List<Row> rows = List.of(RowFactory.create(new byte[]{1, 2, 3}, 0L));
        StructType schema = new StructType().add("image", DataTypes.BinaryType).add("label", DataTypes.LongType);
        String path = dir.resolve("bad-images.parquet").toUri().toString();
        spark().createDataFrame(rows, schema).coalesce(1).write().parquet(path);
        DataConfig data = config(path, "data.table.features-column=image", "data.table.label-column=label");
        Dataset shard = SparkData.load(SharedSpark.context(), data, 1, 1).train().collect().get(0);
        assertContains(assertThrows(DataException.class, () -> shard.get(0)).getMessage(),
                "cannot decode image", "bad-images.parquet", "part-");
    }

    @Test
    void badSourcesAreNamed() throws IOException {
        String path = writeArrayTable(dir, 10);
        JavaSparkContext sc = SharedSpark.context();
        String missing = dir.resolve("none.parquet").toUri().toString();
        assertContains(knownMessage(() -> SparkData.load(sc, config(missing), 1, 2)), "data.train.path", "none.parquet");
        String glob = dir.toUri() + "nothing-*/";
        assertContains(knownMessage(() -> SparkData.load(sc, config(glob), 1, 2)), "data.train.path", "nothing-*");
        assertContains(knownMessage(() -> SparkData.load(sc, config(path, "data.table.label-column=z"), 1, 2)),
                "no column 'z'", "[pixels, y]", "data.table.label-column");
        assertContains(knownMessage(() -> SparkData.load(sc, config(path, "data.classes=2"), 1, 2)),
                "label 2", "outside [0, 2)", "table.parquet/part-");
        assertContains(knownMessage(() -> SparkData.load(sc, config(path, "data.image.width=3"), 1, 2)),
                "holds 4 values", "expected 1x1x3 = 3", "table.parquet/part-");
        assertContains(knownMessage(() -> SparkData.load(sc, config("x", "data.format=table",
                "data.table.name=no_such_table", "data.val-fraction=0.2"), 1, 2)), "data.table.name", "no_such_table");
        spark().createDataFrame(rows(10), ROWS).write().mode(SaveMode.Overwrite).saveAsTable("where_table");
        assertContains(knownMessage(() -> SparkData.load(sc, config("x", "data.format=table",
                "data.table.name=where_table", "data.table.where=y <", "data.val-fraction=0.2"), 1, 2)),
                "data.table.where", "where_table");
        // a part file whose features column has another type
        Path mixed = dir.resolve("mixed");
        spark().createDataFrame(rows(6), ROWS).coalesce(1).write().parquet(mixed.resolve("a").toUri().toString());
        spark().createDataFrame(List.of(RowFactory.create("1,2,3,4", 0)), new StructType()
                        .add("pixels", DataTypes.StringType).add("y", DataTypes.IntegerType))
                .coalesce(1).write().parquet(mixed.resolve("b").toUri().toString());
        String both = "[\"" + mixed.resolve("a").toUri() + "\", \"" + mixed.resolve("b").toUri() + "\"]";
        List<String> overrides = new ArrayList<>(List.of("data.format=parquet", "data.train.path=" + both,
                "data.val-fraction=0.2", "data.classes=3", "data.image.channels=1", "data.image.height=1",
                "data.image.width=4", "data.table.features-column=pixels", "data.table.label-column=y"));
        DataConfig mixedConf = ConfigLoader.parse("", overrides).data();
        String mixedMessage = knownMessage(() -> SparkData.load(sc, mixedConf, 1, 2));
        assertContains(mixedMessage, "cannot read parquet source", "mixed/b/part-", "pixels", "array<float>", "BINARY");
        // Spark's own words for the mismatch: Spark 3.5 and Spark 4 phrase it differently
        assertTrue(mixedMessage.contains("Column: [pixels], Expected: array<float>, Found: BINARY")
                || mixedMessage.contains("Data type mismatches when reading Parquet column [pixels]"), mixedMessage);
        assertTrue(Arrays.stream(new java.io.File(mixed.toFile(), "a").list()).anyMatch(f -> f.startsWith("part-")),
                "nothing of the source was changed");
    }

    /** The message of the DataException in the failure's cause chain (what the command line prints). */
    private static String knownMessage(Runnable r) {
        Throwable t = assertThrows(Exception.class, r::run);
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DataException) {
                return c.getMessage();
            }
        }
        throw new AssertionError("no DataException in the cause chain of " + t, t);
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing in: " + message);
        }
    }
}
