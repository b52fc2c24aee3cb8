package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {
    static final DataConfig.Csv PLAIN = new DataConfig.Csv(false, ',', List.of(), "-1");

    @TempDir
    Path dir;

    private String write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            Files.writeString(p, text);
        }
        return p.toUri().toString();
    }

    private static String message(Runnable r) {
        return assertThrows(DataException.class, r::run).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing in: " + message);
        }
    }

    @Test
    void withoutHeaderTheLastColumnIsTheLabelAndTheRestAreFeatures() throws IOException {
        String uri = write("t.csv", "1.5,2,0\n-3,4e-1,1\n\n5,6,2\n");
        ArrayDataset d = CsvReader.read(uri, PLAIN, false, 3, 0);
        assertEquals(3, d.size());
        assertArrayEquals(new int[]{1, 1, 2}, d.shape());
        DataSet b = d.batch(new int[]{0, 1, 2}, 3, DataType.FLOAT);
        assertArrayEquals(new float[]{1.5f, 2f, -3f, 0.4f, 5f, 6f}, b.getFeatures().data().asFloat());
        assertArrayEquals(new float[]{1, 0, 0, 0, 1, 0, 0, 0, 1}, b.getLabels().data().asFloat());
        assertArrayEquals(new int[]{0, 1, 2}, new int[]{d.globalId(0), d.globalId(1), d.globalId(2)});
    }

    @Test
    void gzipHeaderDelimiterAndNamedColumns() throws IOException {
        String uri = write("t.csv.gz", "id;label;a;b\n7;1;0.5;9\n8;0;0.25;8\n");
        DataConfig.Csv csv = new DataConfig.Csv(true, ';', List.of("b", "a"), "label");
        ArrayDataset d = CsvReader.read(uri, csv, false, 2, 0);
        assertEquals(2, d.size());
        assertArrayEquals(new float[]{9f, 0.5f, 8f, 0.25f},
                d.batch(new int[]{0, 1}, 2, DataType.FLOAT).getFeatures().data().asFloat());
        assertEquals(1, d.label(0));
        assertEquals(0, d.label(1));
        assertEquals(2, CsvReader.featureCount(uri, csv));
    }

    @Test
    void valueTargetsAreKeptAsNumbersAndLimitCuts() throws IOException {
        String uri = write("r.csv", "x,y\n1,2.5\n2,-7.25\n3,0\n");
        DataConfig.Csv csv = new DataConfig.Csv(true, ',', List.of(), "y");
        ArrayDataset d = CsvReader.read(uri, csv, true, 1, 2);
        assertEquals(2, d.size());
        DataSet b = d.batch(new int[]{1, 0}, 1, DataType.FLOAT);
        assertArrayEquals(new long[]{2, 1}, b.getLabels().shape());
        assertArrayEquals(new float[]{-7.25f, 2.5f}, b.getLabels().data().asFloat());
        assertEquals(-1, d.label(0));
    }

    @Test
    void aNonNumericFieldIsNamedByFileLineAndColumn() throws IOException {
        String uri = write("bad.csv", "a,b,label\n1,2,0\n3,x7,1\n");
        DataConfig.Csv csv = new DataConfig.Csv(true, ',', List.of(), "label");
        assertContains(message(() -> CsvReader.read(uri, csv, false, 2, 0)), uri + ":3:2", "'x7'", "not a finite number");
    }

    @Test
    void aWrongColumnCountIsNamedWithTheLine() throws IOException {
        String uri = write("short.csv", "1,2,0\n3,4,1\n5,1\n");
        assertContains(message(() -> CsvReader.read(uri, PLAIN, false, 2, 0)), uri + ":3", "2 fields, expected 3");
    }

    @Test
    void aLabelOutsideTheClassesIsNamed() throws IOException {
        String uri = write("lab.csv", "1,2,0\n3,4,2\n");
        assertContains(message(() -> CsvReader.read(uri, PLAIN, false, 2, 0)), uri + ":2:3", "label '2'",
                "outside [0, 2)", "data.classes = 2");
        String frac = write("frac.csv", "1,2,0.5\n");
        assertContains(message(() -> CsvReader.read(frac, PLAIN, false, 2, 0)), frac + ":1:3", "label '0.5'");
    }

    @Test
    void emptyAndMissingFilesAreNamed() throws IOException {
        String empty = write("empty.csv", "a,b\n");
        DataConfig.Csv csv = new DataConfig.Csv(true, ',', List.of(), "-1");
        assertContains(message(() -> CsvReader.read(empty, csv, false, 2, 0)), "empty dataset", empty);
        String missing = dir.resolve("nope.csv").toUri().toString();
        assertContains(message(() -> CsvReader.read(missing, PLAIN, false, 2, 0)), "not found", missing);
    }

    @Test
    void aTruncatedGzipIsNamed() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append(i).append(',').append(i * 7 % 13).append(",1\n");
        }
        String uri = write("cut.csv.gz", text.toString());
        Path p = Path.of(java.net.URI.create(uri));
        byte[] all = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(all, all.length / 2));
        assertContains(message(() -> CsvReader.read(uri, PLAIN, false, 2, 0)), "cannot read CSV", uri, "truncated");
    }

    @Test
    void unknownColumnNamesListTheHeader() throws IOException {
        String uri = write("h.csv", "a,b\n1,0\n");
        DataConfig.Csv csv = new DataConfig.Csv(true, ',', List.of("c"), "b");
        assertContains(message(() -> CsvReader.read(uri, csv, false, 2, 0)), "no column 'c'", "[a, b]");
    }
}
