package dev.sparktrain.data;

import dev.sparktrain.data.format.IdxReader;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.data.shards.PreparedData;
import dev.sparktrain.data.shards.ShardBuilder;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.DataConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shard files equal the in-memory shards element by element. Regions are 52 bytes here: records of
 * 4 x (features + label) + 8 (id) bytes, e.g. 4 x (4 + 1) + 8 = 28 or 4 x (3 + 1) + 8 = 24, straddle them.
 */
class MappedDatasetTest {
    private static final int TINY_REGION = 52;
    @TempDir
    Path dir;
    private int savedRegion;

    @BeforeEach
    void tinyRegions() {
        savedRegion = MappedDataset.REGION_BYTES;
        MappedDataset.REGION_BYTES = TINY_REGION;
    }

    @AfterEach
    void restore() {
        MappedDataset.REGION_BYTES = savedRegion;
    }

    private static void assertSameExamples(Dataset expected, Dataset actual) {
        assertEquals(expected.size(), actual.size());
        assertArrayEquals(expected.shape(), actual.shape());
        for (int i = 0; i < expected.size(); i++) {
            Example e = expected.get(i);
            Example a = actual.get(i);
            assertArrayEquals(e.features(), a.features(), "features of example " + i);
            assertEquals(e.label(), a.label(), "label of example " + i);
            assertArrayEquals(e.target(), a.target(), "target of example " + i);
            assertEquals(e.id(), a.id(), "id of example " + i);
        }
    }

    private MappedDataset roundTrip(MappedDataset d) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(d);
        }
        assertTrue(bytes.size() < 600, "a small handle: " + bytes.size() + " bytes");
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (MappedDataset) in.readObject();
        }
    }

    /** 37 gzipped IDX images of 2x2 (records of 24 bytes), labels i % 3, pixels drawn from seed 3. */
    private DataConfig idx(boolean gzip, String... overrides) {
        int n = 37;
        byte[] pixels = new byte[n * 4];
        new SplittableRandom(3).nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        IdxFiles.writeImages(dir.resolve("img"), n, 2, 2, pixels, gzip);
        IdxFiles.writeLabels(dir.resolve("lab"), labels, gzip);
        List<String> all = new ArrayList<>(List.of("data.format=idx", "data.classes=3",
                "data.train.images=\"" + dir.resolve("img").toUri() + "\"",
                "data.train.labels=\"" + dir.resolve("lab").toUri() + "\"",
                "data.val.images=\"" + dir.resolve("img").toUri() + "\"",
                "data.val.labels=\"" + dir.resolve("lab").toUri() + "\""));
        all.addAll(List.of(overrides));
        return ConfigLoader.parse("", all).data();
    }

    /** 29 rows with a header: features {i/7, -i, i*i/3}, label i % 4 (or the value i/2 as target). */
    private DataConfig csv(String... overrides) throws IOException {
        StringBuilder text = new StringBuilder("a,b,c,y\n");
        for (int i = 0; i < 29; i++) {
            text.append(String.format(Locale.ROOT, "%s,%d,%s,%s%n", i / 7f, -i, i * i / 3f,
                    List.of(overrides).contains("data.target=value") ? String.valueOf(i / 2f) : String.valueOf(i % 4)));
        }
        Path file = dir.resolve("d.csv");
        Files.writeString(file, text);
        List<String> all = new ArrayList<>(List.of("data.format=csv", "data.train.path=\"" + file.toUri() + "\"",
                "data.val.path=\"" + file.toUri() + "\"", "data.classes=4", "data.csv.header=true", "data.csv.label=y"));
        all.addAll(List.of(overrides));
        return ConfigLoader.parse("", all).data();
    }

    /** Shard {@code p} streamed into a file, as data.storage = local-disk builds it from the same rows. */
    private MappedDataset toFile(Dataset shard, int[] shape, int targetSize, String name) {
        java.util.Iterator<Record> rows = java.util.stream.IntStream.range(0, shard.size())
                .mapToObj(i -> (Record) shard.get(i)).iterator();
        return (MappedDataset) ShardBuilder.build(rows, shape, targetSize, HadoopConf.defaults(),
                dir.resolve("shards/" + name + ".bin"));
    }

    private void assertShardsMatch(DataConfig c, int shards) throws Exception {
        DataPreparation prep = new DataPreparation(c, 11, shards);
        PreparedData memory = prep.prepareLocally(HadoopConf.defaults());
        int[] shape = memory.train().get(0).shape();
        for (int s = 0; s < shards; s++) {
            for (Dataset shard : List.of(memory.train().get(s), memory.val().get(s))) {
                MappedDataset mapped = toFile(shard, shape, prep.targetSize(), "shard-" + System.nanoTime());
                assertSameExamples(shard, mapped);
                assertSameExamples(shard, roundTrip(mapped));
            }
        }
    }

    @Test
    void idxShardFilesEqualTheInMemoryShards() throws Exception {
        assertShardsMatch(idx(true), 3);
        assertShardsMatch(idx(false, "data.train.limit=30", "data.val.limit=30"), 2);
        assertShardsMatch(idx(true, "data.val-fraction=0.25"), 3);
    }

    @Test
    void csvShardFilesEqualTheInMemoryShards() throws Exception {
        assertShardsMatch(csv(), 2);
        assertShardsMatch(csv("data.val-fraction=0.3"), 3);
        assertShardsMatch(csv("data.target=value", "data.classes=1", "data.train.limit=20", "data.val.limit=20"), 2);
    }

    @Test
    void recordsStraddleRegionsAndTheFileIsTheRecordLayout() throws Exception {
        idx(false);
        ArrayDataset all = IdxReader.read(dir.resolve("img").toUri().toString(), dir.resolve("lab").toUri().toString(),
                0, 3);
        MappedDataset d = toFile(all, new int[]{1, 2, 2}, 0, "all");
        // 37 records of 4 x (4 features + label) + 8 (id) = 28 bytes: 1036 bytes, 20 regions of 52 bytes
        assertEquals(37 * 28, Files.size(d.path()));
        assertSameExamples(all, d);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(all.id(i), d.id(i), "the id read alone");
        }
    }

    @Test
    void aMissingFileOrAWrongSizeIsNamed() throws Exception {
        DataConfig c = csv();
        Dataset all = new DataPreparation(c, 1, 1).prepareLocally(HadoopConf.defaults()).train().get(0);
        MappedDataset d = toFile(all, new int[]{1, 1, 3}, 0, "gone");
        MappedDataset copy = roundTrip(d);
        Files.delete(d.path());
        String m = assertThrows(DataException.class, () -> copy.get(0)).getMessage();
        assertTrue(m.contains("gone.bin") && m.contains("is gone"), m);
        Files.write(d.path(), new byte[10]);
        String size = assertThrows(DataException.class, () -> roundTrip(d).get(0)).getMessage();
        assertTrue(size.contains("10 bytes, expected " + all.size() * (4 * (3 + 1) + 8)), size);
    }

    @Test
    void theWriterAcceptsSlotsInAnyOrderButNotGaps() {
        MappedDatasetWriter w = new MappedDatasetWriter(dir.resolve("w.bin"), new int[]{1, 1, 3}, 0);
        for (int slot : new int[]{2, 0, 1, 4, 3}) {
            w.put(slot, Example.classified(new float[]{slot, slot + 0.5f, -slot}, slot % 2, 100 + slot));
        }
        MappedDataset d = w.finish();
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(new float[]{i, i + 0.5f, -i}, d.get(i).features());
            assertEquals(i % 2, d.get(i).label());
            assertEquals(100 + i, d.get(i).id());
        }
        MappedDatasetWriter gap = new MappedDatasetWriter(dir.resolve("gap.bin"), new int[]{1, 1, 3}, 0);
        gap.put(1, Example.classified(new float[3], 0, 0));
        String m = assertThrows(IllegalStateException.class, gap::finish).getMessage();
        assertTrue(m.contains("slot 0 of 2 was never written"), m);
    }
}
