package dev.sparktrain.data.format;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.RowIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static dev.sparktrain.data.format.Formats.assertContains;
import static dev.sparktrain.data.format.Formats.examples;
import static dev.sparktrain.data.format.Formats.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvFormatTest {
    @TempDir
    Path dir;

    private String write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            Files.writeString(p, text);
        }
        return p.toUri().toString();
    }

    private static DataConfig csv(String path, String... more) {
        List<String> all = new ArrayList<>(List.of("data.format=csv", "data.train.path=\"" + path + "\"",
                "data.val.path=\"" + path + "\""));
        all.addAll(List.of(more));
        return Formats.config(all.toArray(String[]::new));
    }

    @Test
    void withoutHeaderTheLastColumnIsTheLabelAndTheRestAreFeatures() throws IOException {
        String uri = write("t.csv", "1.5,2,0\n-3,4e-1,1\n\n5,6,2\n");
        DataConfig c = csv(uri, "data.classes=3");
        List<Example> d = examples(c);
        assertEquals(3, d.size());
        assertArrayEquals(new int[]{1, 1, 2}, Formats.open(c).shape());
        assertArrayEquals(new float[]{1.5f, 2f}, d.get(0).features());
        assertArrayEquals(new float[]{-3f, 0.4f}, d.get(1).features());
        assertEquals(2, d.get(2).label());
        // the id is the content's: the same row read from anywhere has it
        assertEquals(RowIds.of(new float[]{5f, 6f}, 2), d.get(2).id());
    }

    @Test
    void gzipHeaderDelimiterAndNamedColumns() throws IOException {
        String uri = write("t.csv.gz", "id;label;a;b\n7;1;0.5;9\n8;0;\"0.25\";8\n");
        DataConfig c = csv(uri, "data.classes=2", "data.csv.header=true", "data.csv.delimiter=\";\"",
                "data.csv.features=[b, a]", "data.csv.label=label");
        List<Example> d = examples(c);
        assertEquals(2, d.size());
        assertArrayEquals(new float[]{9f, 0.5f}, d.get(0).features());
        assertArrayEquals(new float[]{8f, 0.25f}, d.get(1).features(), "a quoted field");
        assertEquals(1, d.get(0).label());
        assertEquals(0, d.get(1).label());
        assertArrayEquals(new int[]{1, 1, 2}, Formats.open(c).shape());
    }

    @Test
    void valueTargetsAreKeptAsNumbers() throws IOException {
        String uri = write("r.csv", "x,y\n1,2.5\n2,-7.25\n3,0\n");
        List<Example> d = examples(csv(uri, "data.classes=1", "data.target=value", "data.csv.header=true",
                "data.csv.label=y"));
        assertEquals(3, d.size());
        assertArrayEquals(new float[]{-7.25f}, d.get(1).target());
        assertEquals(-1, d.get(0).label());
    }

    @Test
    void aFolderOfPartFilesWithHeadersIsReadInPathOrderSkippingHiddenFiles() throws IOException {
        write("parts/part-00001.csv", "a,label\n3,1\n4,0\n");
        write("parts/part-00000.csv", "a,label\n1,0\n2,1\n");
        write("parts/day=2/part-00000.csv.gz", "a,label\n5,1\n");
        write("parts/_SUCCESS", "");
        write("parts/.part-00000.csv.crc", "garbage");
        write("parts/empty.csv", "");
        DataConfig c = csv(dir.resolve("parts").toUri().toString(), "data.classes=2", "data.csv.header=true");
        List<Example> d = examples(c);
        assertEquals(List.of(5f, 1f, 2f, 3f, 4f), d.stream().map(e -> e.features()[0]).toList(),
                "day=2/ sorts before part-*; rows in file order");
        // a glob and a list name the same files
        List<Example> glob = examples(csv(dir.resolve("parts").toUri() + "/part-*.csv", "data.classes=2",
                "data.csv.header=true"));
        assertEquals(4, glob.size());
        DataConfig list = Formats.config("data.format=csv", "data.classes=2", "data.csv.header=true",
                "data.train.path=[\"" + dir.resolve("parts/part-00000.csv").toUri() + "\", \""
                        + dir.resolve("parts/day=2").toUri() + "\"]", "data.val.path=x");
        assertEquals(List.of(5f, 1f, 2f), examples(list).stream().map(e -> e.features()[0]).toList(),
                "the files of all paths, in path order");
        assertEquals(Files.size(dir.resolve("parts/part-00000.csv")) + Files.size(dir.resolve("parts/day=2/part-00000.csv.gz")),
                Formats.open(list).bytes(), "the listed files' lengths");
    }

    @Test
    void aPartFileWithAnotherHeaderIsNamed() throws IOException {
        write("parts/part-0.csv", "a,label\n1,0\n");
        write("parts/part-1.csv", "a,b,label\n1,2,0\n");
        String m = failure(csv(dir.resolve("parts").toUri().toString(), "data.classes=2", "data.csv.header=true"));
        assertContains(m, "part-1.csv: header [a, b, label] differs from [a, label] of", "part-0.csv",
                "every part file must have the same columns");
    }

    @Test
    void aLargeFileIsReadInSplitsAndErrorsInLaterSplitsNameTheirLine() throws IOException {
        StringBuilder text = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 3000; i++) {
            text.append(i).append(',').append(i % 7).append(',').append(i % 2).append('\n');
        }
        String uri = write("big.csv", text.toString());
        DataConfig whole = csv(uri, "data.classes=2", "data.csv.header=true");
        List<Example> expected = examples(whole);
        assertEquals(3000, expected.size());
        // 4 KiB splits: many parts, lines cut at split ends belong to the split they start in
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        conf.setLong("mapreduce.input.fileinputformat.split.maxsize", 4096);
        Source split = DataFormats.open(whole, whole.train(), dev.sparktrain.data.HadoopConf.of(conf));
        assertTrue(split.parts() > 5, "parts: " + split.parts());
        List<Example> got = Formats.records(split).stream().map(r -> (Example) r).toList();
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(expected.get(i).features(), got.get(i).features(), "row " + i);
            assertEquals(expected.get(i).id(), got.get(i).id());
        }
        String bad = text.toString().replace("\n2500,1,0\n", "\n2500,oops,0\n");
        String badUri = write("bad-big.csv", bad);
        DataConfig badConf = csv(badUri, "data.classes=2", "data.csv.header=true");
        Source badSplit = DataFormats.open(badConf, badConf.train(), dev.sparktrain.data.HadoopConf.of(conf));
        String m = org.junit.jupiter.api.Assertions.assertThrows(dev.sparktrain.data.DataException.class,
                () -> Formats.records(badSplit)).getMessage();
        assertContains(m, "bad-big.csv:2502:2", "'oops'", "not a finite number");
    }

    @Test
    void aNonNumericFieldIsNamedByFileLineAndColumn() throws IOException {
        String uri = write("bad.csv", "a,b,label\n1,2,0\n3,x7,1\n");
        assertContains(failure(csv(uri, "data.classes=2", "data.csv.header=true", "data.csv.label=label")),
                "bad.csv:3:2", "'x7'", "not a finite number");
        String nan = write("nan.csv", "1,NaN,0\n");
        assertContains(failure(csv(nan, "data.classes=2")), "nan.csv:1:2", "'NaN'", "not a finite number");
    }

    @Test
    void aWrongColumnCountIsNamedWithTheLine() throws IOException {
        String uri = write("short.csv", "1,2,0\n3,4,1\n5,1\n");
        assertContains(failure(csv(uri, "data.classes=2")), "short.csv:3", "2 fields, expected 3",
                "the first row of");
    }

    @Test
    void aLabelOutsideTheClassesIsNamed() throws IOException {
        String uri = write("lab.csv", "1,2,0\n3,4,2\n");
        assertContains(failure(csv(uri, "data.classes=2")), "lab.csv:2:3", "label '2'", "outside [0, 2)",
                "data.classes = 2");
        String frac = write("frac.csv", "1,2,0.5\n");
        assertContains(failure(csv(frac, "data.classes=2")), "frac.csv:1:3", "label '0.5'");
    }

    @Test
    void emptyMissingAndUnmatchedSourcesAreNamed() throws IOException {
        String empty = write("empty.csv", "");
        assertContains(failure(csv(empty, "data.classes=2")), "empty dataset", "data.train.path", "empty.csv");
        String missing = dir.resolve("nope.csv").toUri().toString();
        assertContains(failure(csv(missing)), "data.train.path", "not found", "nope.csv");
        String glob = dir.toUri() + "nothing-*.csv";
        assertContains(failure(csv(glob)), "data.train.path", "matches no files", "nothing-*.csv");
    }

    @Test
    void anUnreadablePartIsNamed() throws IOException {
        write("locked/part-0.csv", "1,0\n");
        write("locked/part-1-unreadable.csv", "1,0\n");
        DataConfig c = csv(dev.sparktrain.data.TestFileSystem.uri(dir.resolve("locked")), "data.classes=2");
        dev.sparktrain.data.HadoopConf conf = dev.sparktrain.data.HadoopConf.of(
                dev.sparktrain.data.TestFileSystem.configure(new org.apache.hadoop.conf.Configuration()));
        Source source = DataFormats.open(c, c.train(), conf);
        String m = org.junit.jupiter.api.Assertions.assertThrows(dev.sparktrain.data.DataException.class,
                () -> Formats.records(source)).getMessage();
        assertContains(m, "part-1-unreadable.csv", "Permission denied");
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
        assertContains(failure(csv(uri, "data.classes=2")), "cannot read CSV", "cut.csv.gz");
    }

    @Test
    void unknownColumnNamesListTheHeader() throws IOException {
        String uri = write("h.csv", "a,b\n1,0\n");
        assertContains(failure(csv(uri, "data.csv.header=true", "data.csv.features=[c]", "data.csv.label=b")),
                "no column 'c'", "[a, b]");
    }
}
