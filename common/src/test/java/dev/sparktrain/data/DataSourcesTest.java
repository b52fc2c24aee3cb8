package dev.sparktrain.data;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSourcesTest {
    @TempDir
    Path dir;

    /** 23 rows: features {i, 2i}, label i % 2. */
    private DataConfig csv(String... overrides) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 23; i++) {
            text.append(i).append(',').append(2 * i).append(',').append(i % 2).append('\n');
        }
        Path file = dir.resolve("d.csv");
        Files.writeString(file, text);
        List<String> all = new ArrayList<>(List.of("data.format=csv", "data.train.path=\"" + file.toUri() + "\"",
                "data.classes=2", "data.val-fraction=0.3"));
        all.addAll(List.of(overrides));
        return ConfigLoader.parse("", all).data();
    }

    private static int[] ids(Dataset d) {
        return IntStream.range(0, d.size()).map(i -> d.get(i).id()).toArray();
    }

    @Test
    void shardsOfTheSplitTakeEveryPthPositionOfItsPart() throws IOException {
        DataConfig c = csv();
        Split split = Split.of(23, 0.3, 5);
        assertArrayEquals(split.train(), ids(DataSources.read(c, true, 5)));
        assertArrayEquals(split.val(), ids(DataSources.read(c, false, 5)));
        for (int s = 0; s < 3; s++) {
            int shard = s;
            int[] expected = IntStream.range(0, split.train().length).filter(j -> j % 3 == shard)
                    .map(j -> split.train()[j]).toArray();
            Dataset d = DataSources.shard(c, true, 5, s, 3);
            assertArrayEquals(expected, ids(d), "shard " + s);
            for (int i = 0; i < d.size(); i++) {
                Example e = d.get(i);
                assertArrayEquals(new float[]{e.id(), 2 * e.id()}, e.features());
                assertEquals(e.id() % 2, e.label());
            }
        }
        assertArrayEquals(new int[]{1, 1, 2}, DataSources.shape(c));
    }

    @Test
    void configuredTransformsAndIndexLabelsApply() throws IOException {
        DataConfig c = csv("data.transforms.scale=0.5", "data.transforms.mean=[1]", "data.transforms.std=[2]",
                "data.labels=index");
        Dataset d = DataSources.transformed(DataSources.read(c, true, 5), c, true, 5, c.transforms().mean(),
                c.transforms().std());
        Example e = d.get(3);
        // (0.5 x - 1) / 2
        assertArrayEquals(new float[]{(0.5f * e.id() - 1) / 2, (e.id() - 1) / 2f}, e.features());
        assertArrayEquals(new long[]{1, 1}, d.batch(new int[]{3}, 2, DataType.FLOAT).getLabels().shape());
        DataConfig plain = csv("data.val-fraction=0", "data.val.path=\"" + dir.resolve("d.csv").toUri() + "\"");
        Dataset same = DataSources.read(plain, true, 5);
        assertTrue(DataSources.transformed(same, plain, true, 5, new double[0], new double[0]) == same);
    }

    @Test
    void normalizationFromTheTrainingPartUsesItsStatistics() throws IOException {
        DataConfig c = csv("data.transforms.normalize-from-train=true");
        Dataset train = DataSources.read(c, true, 5);
        double[][] norm = DataSources.normalization(c, train);
        // one channel holding both columns {i, 2i} of the training rows
        double[] values = Arrays.stream(ids(train)).flatMap(i -> IntStream.of(i, 2 * i)).asDoubleStream().toArray();
        double mean = Arrays.stream(values).average().orElseThrow();
        double var = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        assertEquals(mean, norm[0][0], 1e-9);
        assertEquals(Math.sqrt(var), norm[1][0], 1e-9);
    }

    @Test
    void tablesNeedSparkAndEmptySplitsAreNamed() throws IOException {
        DataConfig table = ConfigLoader.parse("", List.of("data.format=parquet", "data.train.path=x.parquet",
                "data.val.path=y.parquet")).data();
        assertTrue(assertThrows(DataException.class, () -> DataSources.read(table, true, 1)).getMessage()
                .contains("read through Spark SQL"));
        DataConfig tiny = csv("data.train.limit=2", "data.val-fraction=0.1");
        assertTrue(assertThrows(DataException.class, () -> DataSources.read(tiny, true, 1)).getMessage()
                .contains("empty dataset"));
    }
}
