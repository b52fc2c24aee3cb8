package dev.sparktrain.job.data;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.MappedRegions;
import dev.sparktrain.job.engine.SharedSpark;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code data.storage = local-disk}: shards written to files under Spark's local directory equal the
 * in-memory shards element by element; regions of 36 bytes make records (4 x (4 features + label) +
 * 8 (id) = 28 bytes for the table, 4 x (3 + 1) + 8 = 24 for the CSV) straddle region boundaries.
 */
class LocalDiskShardsTest {
    @TempDir
    Path dir;
    private int savedRegion;

    @BeforeEach
    void tinyRegions() {
        savedRegion = MappedRegions.set(36);
    }

    @AfterEach
    void restore() {
        MappedRegions.set(savedRegion);
    }

    /** {@code handles}: the cached shards are the handles themselves (no transforms wrap them). */
    private static void assertSameShards(SparkData.Loaded memory, SparkData.Loaded disk, boolean handles) {
        assertEquals(StorageLevel.MEMORY_ONLY(), disk.raw().getStorageLevel());
        String localDir = SparkEnv.get().conf().get("spark.local.dir");
        for (boolean training : new boolean[]{true, false}) {
            List<Dataset> expected = (training ? memory.train() : memory.val()).collect();
            List<Dataset> actual = (training ? disk.train() : disk.val()).collect();
            for (int s = 0; s < expected.size(); s++) {
                Dataset shard = actual.get(s);
                assertEquals(handles, shard instanceof ExecutorLocalShard, shard.getClass().getName());
                if (shard instanceof ExecutorLocalShard h) {
                    assertTrue(h.file().path().startsWith(localDir), h.file().path() + " under " + localDir);
                }
                assertEquals(expected.get(s).size(), shard.size());
                for (int i = 0; i < shard.size(); i++) {
                    Example e = expected.get(s).get(i);
                    Example a = shard.get(i);
                    String where = (training ? "train" : "val") + " shard " + s + " example " + i;
                    assertArrayEquals(e.features(), a.features(), where);
                    assertEquals(e.label(), a.label(), where);
                    assertArrayEquals(e.target(), a.target(), where);
                    assertEquals(e.id(), a.id(), where);
                }
            }
        }
    }

    private static SparkData.Loaded load(DataConfig data, String storage) {
        return SparkData.load(SharedSpark.context(), with(data, storage), 7, 2);
    }

    private static DataConfig with(DataConfig d, String storage) {
        return new DataConfig(d.format(), d.train(), d.val(), d.valFraction(), d.classes(), d.labels(), d.valueTarget(),
                d.dropLast(), d.csv(), d.image(), d.table(), d.transforms(), storage, d.numWorkers());
    }

    @Test
    void parquetArrayShardsOnLocalDiskEqualTheInMemoryShards() {
        String path = SparkDataTest.writeArrayTable(dir, 41);
        DataConfig data = SparkDataTest.config(path, "data.val-fraction=0.25");
        assertSameShards(load(data, "memory-and-disk"), load(data, "local-disk"), true);
        DataConfig values = SparkDataTest.config(path, "data.target=value", "data.classes=1");
        assertSameShards(load(values, "memory-only"), load(values, "local-disk"), true);
    }

    @Test
    void csvShardsOnLocalDiskEqualTheInMemoryShards() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            text.append(String.format(Locale.ROOT, "%s,%d,%s,%d%n", i / 3f, -i, i * 0.25f, i % 3));
        }
        Path file = dir.resolve("d.csv");
        Files.writeString(file, text);
        DataConfig data = ConfigLoader.parse("", List.of("data.format=csv", "data.train.path=\"" + file.toUri() + "\"",
                "data.classes=3", "data.val-fraction=0.3", "data.transforms.normalize-from-train=true")).data();
        assertSameShards(load(data, "memory-and-disk"), load(data, "local-disk"), false);
    }

    @Test
    void idxShardsOnLocalDiskEqualTheInMemoryShards() {
        dev.sparktrain.data.IdxFiles.writeSynthetic(dir, "t", 45, 10, 3, true);
        DataConfig data = ConfigLoader.parse("", List.of(
                "data.train.images=\"" + dir.resolve("t-images-idx3-ubyte.gz").toUri() + "\"",
                "data.train.labels=\"" + dir.resolve("t-labels-idx1-ubyte.gz").toUri() + "\"",
                "data.val-fraction=0.2")).data();
        assertSameShards(load(data, "memory-and-disk"), load(data, "local-disk"), true);
    }

    @Test
    void aShardUsedOnAnotherExecutorOrWithoutItsFileFailsNamingBoth() {
        String path = SparkDataTest.writeArrayTable(dir, 10);
        ExecutorLocalShard shard = (ExecutorLocalShard) load(SparkDataTest.config(path), "local-disk").train()
                .collect().get(0);
        String here = SparkEnv.get().executorId();
        ExecutorLocalShard elsewhere = new ExecutorLocalShard(shard.file(), "7");
        String m = assertThrows(DataException.class, () -> elsewhere.get(0)).getMessage();
        for (String part : List.of(shard.file().path().toString(), "executor 7", "runs on executor " + here,
                "spark.locality.wait")) {
            assertTrue(m.contains(part), "'" + part + "' missing in: " + m);
        }
        ExecutorLocalShard copy = new ExecutorLocalShard(shard.file(), here);
        assertEquals(shard.get(0).id(), copy.get(0).id());
        ExecutorLocalShard fresh = new ExecutorLocalShard(shard.file(), here);
        shard.file().path().toFile().delete();
        String gone = assertThrows(DataException.class, () -> fresh.get(0)).getMessage();
        assertTrue(gone.contains(shard.file().path() + " of executor " + here + " is gone"), gone);
    }
}
