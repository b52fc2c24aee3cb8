package dev.sparktrain.data.shards;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.ConcatDataset;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.format.Formats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.sparktrain.data.format.Formats.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one preparation step, run in one process: split, shards, order, transforms, checks. */
class DataPreparationTest {
    private static final int ROWS = 2000;

    @TempDir
    Path dir;

    /** ROWS rows {i, 2i, label i % 3} written into {@code files} CSV part files (rows dealt round-robin). */
    private String parts(String name, int files) throws IOException {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        StringBuilder[] text = new StringBuilder[files];
        for (int f = 0; f < files; f++) {
            text[f] = new StringBuilder("x,y,label\n");
        }
        for (int i = 0; i < ROWS; i++) {
            text[(i * 7) % files].append(i).append(',').append(2 * i).append(',').append(i % 3).append('\n');
        }
        for (int f = 0; f < files; f++) {
            Files.writeString(folder.resolve(String.format("part-%05d.csv", f)), text[f]);
        }
        return folder.toUri().toString();
    }

    private static DataConfig csv(String path, String... more) {
        List<String> all = new ArrayList<>(List.of("data.format=csv", "data.train.path=\"" + path + "\"",
                "data.val.path=\"" + path + "\"", "data.classes=3", "data.csv.header=true", "data.val-fraction=0.2"));
        all.addAll(List.of(more));
        return Formats.config(all.toArray(String[]::new));
    }

    private static List<Long> ids(Dataset d) {
        return IntStream.range(0, d.size()).mapToObj(d::id).toList();
    }

    private static Set<Long> idSet(List<Dataset> shards) {
        return shards.stream().flatMap(d -> ids(d).stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theSameSeedGivesTheSameSplitForAnyNumberOfPartFilesAndShards() throws IOException {
        PreparedData reference = new DataPreparation(csv(parts("one", 1)), 7, 1).prepareLocally(HadoopConf.defaults());
        Set<Long> val = idSet(reference.val());
        assertEquals(ROWS, reference.trainSize() + reference.valSize());
        assertTrue(Math.abs(reference.valSize() - 0.2 * ROWS) < 4 * Math.sqrt(ROWS * 0.16), "" + reference.valSize());
        for (int files : new int[]{1, 3, 7}) {
            String path = parts("files-" + files, files);
            for (int p : new int[]{1, 2, 5}) {
                PreparedData d = new DataPreparation(csv(path), 7, p).prepareLocally(HadoopConf.defaults());
                assertEquals(val, idSet(d.val()), files + " files, " + p + " shards");
                assertEquals(ROWS - val.size(), d.trainSize());
                PreparedData again = new DataPreparation(csv(parts("again-" + files + "-" + p, files)), 7, p)
                        .prepareLocally(HadoopConf.defaults());
                for (int s = 0; s < p; s++) {
                    assertEquals(ids(d.train().get(s)), ids(again.train().get(s)), "shard " + s + " in a rerun");
                    List<Long> order = ids(d.train().get(s));
                    for (int i = 1; i < order.size(); i++) {
                        assertTrue(order.get(i - 1) <= order.get(i), "a shard is in id order");
                    }
                }
            }
        }
        PreparedData otherSeed = new DataPreparation(csv(parts("seed", 3)), 8, 1).prepareLocally(HadoopConf.defaults());
        assertTrue(!val.equals(idSet(otherSeed.val())), "another seed, another split");
    }

    @Test
    void shardsHoldTheRowsTheLayoutPlacesThereWithTheirContent() throws IOException {
        DataConfig c = csv(parts("content", 2));
        DataPreparation prep = new DataPreparation(c, 3, 4);
        PreparedData d = prep.prepareLocally(HadoopConf.defaults());
        for (int s = 0; s < 4; s++) {
            for (Dataset shard : List.of(d.train().get(s), d.val().get(s))) {
                boolean val = shard == d.val().get(s);
                for (int i = 0; i < shard.size(); i++) {
                    Example e = shard.get(i);
                    assertEquals(s, prep.layout().shard(e.id()));
                    assertEquals(val, prep.layout().validation(e.id()));
                    assertArrayEquals(new float[]{e.features()[0], 2 * e.features()[0]}, e.features());
                    assertEquals((int) e.features()[0] % 3, e.label());
                }
            }
        }
        // in-memory datasets take the same places
        PreparedData fromMemory = prep.prepare(new ConcatDataset(d.train()), new ConcatDataset(d.val()));
        for (int s = 0; s < 4; s++) {
            assertEquals(ids(d.train().get(s)), ids(fromMemory.train().get(s)));
            assertEquals(ids(d.val().get(s)), ids(fromMemory.val().get(s)));
        }
    }

    @Test
    void aValidationSourceGoesWhollyToValidationAndALimitTakesTheFirstRows() throws IOException {
        String path = parts("limit", 3);
        DataConfig c = csv(path, "data.val-fraction=0", "data.train.limit=500", "data.val.limit=100");
        PreparedData d = new DataPreparation(c, 1, 2).prepareLocally(HadoopConf.defaults());
        assertEquals(500, d.trainSize());
        assertEquals(100, d.valSize());
        // the first 500 rows in path order: part-00000 holds rows i with 7i mod 3 == 0 (i = 0, 3, 6, ...)
        Set<Float> firstFile = d.train().stream().flatMap(x -> IntStream.range(0, x.size()).mapToObj(x::get))
                .map(e -> e.features()[0]).collect(Collectors.toSet());
        assertTrue(firstFile.stream().allMatch(v -> v % 3 == 0), "all from the first part file");
    }

    @Test
    void transformsNormalizationAndIndexLabelsApply() throws IOException {
        DataConfig c = csv(parts("tf", 1), "data.transforms.normalize-from-train=true", "data.labels=index");
        DataPreparation prep = new DataPreparation(c, 5, 2);
        PreparedData raw = prep.prepareLocally(HadoopConf.defaults());
        PreparedData views = prep.prepareViews(raw);
        double[] values = raw.train().stream().flatMap(x -> IntStream.range(0, x.size()).mapToObj(x::get))
                .flatMapToDouble(e -> Arrays.stream(new double[]{e.features()[0], e.features()[1]})).toArray();
        double mean = Arrays.stream(values).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
        Example raw0 = raw.train().get(0).get(0);
        Example seen = views.train().get(0).get(0);
        assertEquals((raw0.features()[0] - mean) / sd, seen.features()[0], 1e-3);
        assertArrayEquals(new long[]{1, 1}, views.train().get(0).batch(new int[]{0}, 3, DataType.FLOAT)
                .getLabels().shape(), "index labels: one column");
        DataConfig plain = csv(parts("plain", 1));
        DataPreparation p2 = new DataPreparation(plain, 5, 1);
        PreparedData raw2 = p2.prepareLocally(HadoopConf.defaults());
        assertSame(raw2.train().get(0), p2.prepareViews(raw2).train().get(0), "no transform: the shard itself");
    }

    @Test
    void sparkSqlSourcesEmptySplitsAndMismatchedShapesAreNamed() throws IOException {
        DataConfig table = Formats.config("data.format=parquet", "data.train.path=x.parquet", "data.val.path=y.parquet");
        assertContains(assertThrows(DataException.class, () -> new DataPreparation(table, 1, 1)
                .prepareLocally(HadoopConf.defaults())).getMessage(), "read by Spark SQL", "train on Spark");
        Path tiny = dir.resolve("tiny.csv");
        Files.writeString(tiny, "x,y,label\n1,2,0\n");
        DataConfig c = csv(tiny.toUri().toString(), "data.val-fraction=0.01");
        assertContains(assertThrows(DataException.class, () -> new DataPreparation(c, 1, 1)
                .prepareLocally(HadoopConf.defaults())).getMessage(), "empty validation set", "data.val-fraction");
        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, "x,y,z,label\n1,2,3,0\n");
        DataConfig mismatch = Formats.config("data.format=csv", "data.classes=3", "data.csv.header=true",
                "data.train.path=\"" + tiny.toUri() + "\"", "data.val.path=\"" + wide.toUri() + "\"");
        assertContains(assertThrows(DataException.class, () -> new DataPreparation(mismatch, 1, 1)
                .prepareLocally(HadoopConf.defaults())).getMessage(), "data.val", "[1, 1, 3]", "[1, 1, 2]");
    }
}
