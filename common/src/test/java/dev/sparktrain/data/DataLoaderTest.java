package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {
    @TempDir
    Path dir;

    private static List<float[]> drain(Iterator<DataSet> it) {
        List<float[]> out = new ArrayList<>();
        while (it.hasNext()) {
            DataSet b = it.next();
            out.add(b.getFeatures().dup().data().asFloat());
            out.add(b.getLabels().dup().data().asFloat());
        }
        return out;
    }

    @Test
    void prefetchingWorkersGiveTheSameBatchesInTheSameOrderAsZeroWorkers() {
        ArrayDataset base = TransformsTest.ramp(103, 4, 4);
        Dataset data = new TransformedDataset(base, TransformsTest.spec(1, new double[0], new double[0], true, 1),
                new double[0], new double[0], true, LabelMode.ONE_HOT, 5);
        BatchPlan plan = BatchPlan.single(5, 103, 8, false, true);
        for (int epoch = 0; epoch < 2; epoch++) {
            List<float[]> inline;
            try (DataLoader l0 = new DataLoader(data, plan, 3, DataType.FLOAT, 0)) {
                inline = drain(l0.epoch(epoch));
                assertEquals(13, l0.size());
            }
            assertEquals(2 * 13, inline.size());
            for (int workers : new int[]{1, 3}) {
                try (DataLoader lw = new DataLoader(data, plan, 3, DataType.FLOAT, workers)) {
                    List<float[]> pre = drain(lw.epoch(epoch));
                    assertEquals(inline.size(), pre.size());
                    for (int i = 0; i < inline.size(); i++) {
                        assertArrayEquals(inline.get(i), pre.get(i), "epoch " + epoch + " workers " + workers + " item " + i);
                    }
                }
            }
        }
    }

    @Test
    void aWorkersErrorReachesTheCallerWithTheFile() throws Exception {
        ImageFolders.write(dir.resolve("a/1.png"), 2, 2, 0xFFFFFF, "png");
        Files.writeString(dir.resolve("a/2.png"), "garbage");
        ImageDataset d = ImageFolders.scan(dir.toUri().toString(), new DataConfig.Image(1, 2, 2), 1);
        try (DataLoader l = new DataLoader(d, BatchPlan.single(1, 2, 1, false, false), 1, DataType.FLOAT, 2)) {
            Iterator<DataSet> it = l.epoch(0);
            it.next();
            String m = assertThrows(DataException.class, it::next).getMessage();
            assertTrue(m.contains("a/2.png"), m);
        }
    }
}
