package dev.sparktrain.job.data;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.DataSources;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.Split;
import dev.sparktrain.job.engine.SharedSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataShardsTest {
    @TempDir
    Path dir;

    static SparkSession spark() {
        JavaSparkContext sc = SharedSpark.context();
        return SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    }

    /** n rows: features {g, g + 0.5, -g, 1} (array<float>), label g % 3, written as Parquet in 3 files. */
    static String writeArrayTable(Path dir, int n) {
        List<Row> rows = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            rows.add(RowFactory.create(new float[]{g, g + 0.5f, -g, 1}, g % 3));
        }
        StructType schema = new StructType()
                .add("pixels", DataTypes.createArrayType(DataTypes.FloatType))
                .add("y", DataTypes.IntegerType);
        String path = dir.resolve("table.parquet").toUri().toString();
        spark().createDataFrame(rows, schema).repartition(3).sortWithinPartitions("y").coalesce(1)
                .orderBy("y").write().parquet(path);
        return path;
    }

    static DataConfig config(String path, String... overrides) {
        List<String> all = new ArrayList<>(List.of("data.format=parquet", "data.train.path=\"" + path + "\"",
                "data.val.path=\"" + path + "\"", "data.classes=3", "data.image.channels=1", "data.image.height=1",
                "data.image.width=4", "data.table.features-column=pixels", "data.table.label-column=y"));
        all.addAll(List.of(overrides));
        return ConfigLoader.parse("", all).data();
    }

    private static List<Dataset> collect(org.apache.spark.api.java.JavaRDD<Dataset> rdd) {
        return rdd.collect();
    }

    /** Source row of each example, from its features (feature 0 = g). */
    private static int row(Example e) {
        return (int) e.features()[0];
    }

    @Test
    void aParquetTableBecomesShardsInTheSplitsOrderWithValidationThroughTheSamePath() {
        // the written order is by label: source row order is that of the file, read back through Spark
        String path = writeArrayTable(dir, 50);
        List<Row> source = spark().read().parquet(path).select("pixels").collectAsList();
        int[] sourceRows = source.stream().mapToInt(r -> (int) (float) r.getList(0).get(0)).toArray();
        DataConfig data = config(path, "data.val-fraction=0.2", "data.storage=memory-and-disk-ser");
        DataShards.Loaded loaded = DataShards.load(SharedSpark.context(), data, 9, 2);
        assertEquals(StorageLevel.MEMORY_AND_DISK_SER(), loaded.train().getStorageLevel());
        List<Dataset> train = collect(loaded.train());
        List<Dataset> val = collect(loaded.val());
        assertEquals(2, train.size());
        Split split = Split.of(50, 0.2, 9);
        assertEquals(40, train.get(0).size() + train.get(1).size());
        assertEquals(10, val.get(0).size() + val.get(1).size());
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < train.get(s).size(); i++) {
                Example e = train.get(s).get(i);
                int position = i * 2 + s; // shard s holds positions s, s + P, ... of the training part
                assertEquals(sourceRows[split.train()[position]], row(e), "train shard " + s + " example " + i);
                assertEquals(row(e) % 3, e.label());
                assertArrayEquals(new float[]{row(e), row(e) + 0.5f, -row(e), 1}, e.features());
            }
            for (int i = 0; i < val.get(s).size(); i++) {
                assertEquals(sourceRows[split.val()[i * 2 + s]], row(val.get(s).get(i)));
            }
        }
    }

    @Test
    void imageBytesAreDecodedAndResized() throws IOException {
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
        Dataset shard = collect(DataShards.load(SharedSpark.context(), data, 1, 1).train()).get(0);
        assertTrue(shard instanceof EncodedImages, "kept encoded: " + shard.getClass());
        assertEquals(6, shard.size());
        for (int i = 0; i < 6; i++) {
            Example e = shard.get(i);
            float[] expected = new float[12];
            Arrays.fill(expected, e.label() == 0 ? 0 : 4, e.label() == 0 ? 4 : 8, 1f);
            assertArrayEquals(expected, e.features(), "example " + i);
        }
    }

    @Test
    void aCorruptImageRowIsNamed() {
        List<Row> rows = List.of(RowFactory.create(new byte[]{1, 2, 3}, 0L));
        StructType schema = new StructType().add("image", DataTypes.BinaryType).add("label", DataTypes.LongType);
        String path = dir.resolve("bad-images.parquet").toUri().toString();
        spark().createDataFrame(rows, schema).coalesce(1).write().parquet(path);
        DataConfig data = config(path, "data.table.features-column=image", "data.table.label-column=label");
        Dataset shard = collect(DataShards.load(SharedSpark.context(), data, 1, 1).train()).get(0);
        assertContains(assertThrows(DataException.class, () -> shard.get(0)).getMessage(),
                "cannot decode image", "bad-images.parquet row 0");
    }

    @Test
    void badTablesAreNamed() {
        String path = writeArrayTable(dir, 10);
        JavaSparkContext sc = SharedSpark.context();
        String missing = dir.resolve("none.parquet").toUri().toString();
        assertContains(assertThrows(DataException.class, () -> DataShards.load(sc, config(missing), 1, 2)).getMessage(),
                "cannot read parquet table", "none.parquet");
        assertContains(assertThrows(DataException.class,
                () -> DataShards.load(sc, config(path, "data.table.label-column=z"), 1, 2)).getMessage(),
                "no column 'z'", "[pixels, y]");
        assertContains(rootMessage(() -> DataShards.load(sc, config(path, "data.classes=2"), 1, 2).train().count()),
                "label 2 is outside [0, 2)", "table.parquet: row");
        assertContains(rootMessage(() -> DataShards.load(sc, config(path, "data.image.width=3"), 1, 2).train().count()),
                "4 feature values, expected 1x1x3 = 3");
    }

    @Test
    void imageFolderShardsHoldPathsAndMatchTheSingleProcessShards() {
        for (int g = 0; g < 7; g++) {
            dev.sparktrain.data.ImageFolders.write(dir.resolve("imgs/c" + (g % 2) + "/" + g + ".png"), 3, 3,
                    0x010101 * g * 30, "png");
        }
        DataConfig data = ConfigLoader.parse("", List.of("data.format=image-folder",
                "data.train.path=\"" + dir.resolve("imgs").toUri() + "\"", "data.val-fraction=0.3", "data.classes=2",
                "data.image.channels=1", "data.image.height=3", "data.image.width=3")).data();
        List<Dataset> shards = collect(DataShards.load(SharedSpark.context(), data, 4, 2).train());
        for (int s = 0; s < 2; s++) {
            Dataset local = DataSources.shard(data, true, 4, s, 2);
            assertEquals(local.size(), shards.get(s).size());
            for (int i = 0; i < local.size(); i++) {
                assertArrayEquals(local.get(i).features(), shards.get(s).get(i).features());
                assertEquals(local.get(i).id(), shards.get(s).get(i).id());
            }
        }
        assertEquals(5, IntStream.range(0, 2).map(s -> shards.get(s).size()).sum()); // 7 - round(0.3 * 7)
    }

    private static String rootMessage(Runnable r) {
        Throwable t = assertThrows(Exception.class, r::run);
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing in: " + message);
        }
    }
}
