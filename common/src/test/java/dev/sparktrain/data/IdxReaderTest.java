package dev.sparktrain.data;

import dev.sparktrain.data.format.IdxReader;
import dev.sparktrain.data.shards.ShardLayout;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    // ---- helpers ----

    private static String uri(Path p) {
        return p.toUri().toString();
    }

    /** Features of every example, flat [n, rows*cols], as the trainer would collate them. */
    private static INDArray features(ArrayDataset d) {
        return d.batch(IntStream.range(0, d.size()).toArray(), 256, DataType.FLOAT).getFeatures();
    }

    private static int[] labels(ArrayDataset d) {
        return IntStream.range(0, d.size()).map(d::label).toArray();
    }

    private static long[] ids(Dataset d) {
        return IntStream.range(0, d.size()).mapToLong(d::id).toArray();
    }

    private static byte[] randomPixels(int n, int rows, int cols, long seed) {
        byte[] pixels = new byte[n * rows * cols];
        new SplittableRandom(seed).nextBytes(pixels);
        pixels[0] = (byte) 255;
        pixels[1] = 0;
        return pixels;
    }

    /** Writes images and labels ("img", "lbl" with .gz when gzip) and returns their URIs. */
    private String[] write(String name, byte[] pixels, int rows, int cols, int[] labels, boolean gzip) {
        String ext = gzip ? ".gz" : "";
        Path img = dir.resolve(name + "-img" + ext);
        Path lbl = dir.resolve(name + "-lbl" + ext);
        IdxFiles.writeImages(img, labels.length, rows, cols, pixels, gzip);
        IdxFiles.writeLabels(lbl, labels, gzip);
        return new String[]{uri(img), uri(lbl)};
    }

    /** Same shape and bit-for-bit the same values (INDArray.equals allows a 1e-5 difference). */
    private static void assertSameFloats(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertArrayEquals(expected.dup('c').data().asFloat(), actual.dup('c').data().asFloat(), what);
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    // ---- the real Fashion-MNIST ----

    private static String fashion(String file) {
        Path p = FASHION.resolve(file);
        if (System.getenv("CI") == null) { // in CI the data must be there: .ci/run installs it
            Assumptions.assumeTrue(Files.exists(p), "Fashion-MNIST not installed at " + FASHION);
        }
        return uri(p);
    }

    private static void assertBalancedFashionMnist(ArrayDataset d, int n) {
        assertEquals(n, d.size());
        assertEquals(28, d.height());
        assertEquals(28, d.width());
        assertEquals(1, d.channels());
        int[] histogram = new int[10];
        for (int i = 0; i < d.size(); i++) {
            histogram[d.label(i)]++;
        }
        int[] expected = new int[10];
        Arrays.fill(expected, n / 10);
        assertArrayEquals(expected, histogram);
        // pixels are bytes / 255: both ends of [0, 1] occur, nothing outside
        for (int from = 0; from < n; from += 10_000) {
            INDArray f = d.batch(IntStream.range(from, Math.min(n, from + 10_000)).toArray(), 10, DataType.FLOAT)
                    .getFeatures();
            assertEquals(0.0, f.minNumber().doubleValue());
            assertEquals(1.0, f.maxNumber().doubleValue());
        }
    }

    @Test
    void fashionMnistTrainHas60000BalancedExamples() {
        ArrayDataset train = IdxReader.read(fashion("train-images-idx3-ubyte.gz"),
                fashion("train-labels-idx1-ubyte.gz"), 0, 10);
        assertBalancedFashionMnist(train, 60_000);
        for (int i = 0; i < 60_000; i += 997) {
            Example e = train.get(i);
            assertEquals(RowIds.of(e.features(), e.label()), e.id(), "the id of example " + i + " is its content's");
        }
    }

    @Test
    void fashionMnistTestHas10000BalancedExamplesAndShardsPartitionIt() {
        String images = fashion("t10k-images-idx3-ubyte.gz");
        String labels = fashion("t10k-labels-idx1-ubyte.gz");
        ArrayDataset all = IdxReader.read(images, labels, 0, 10);
        assertBalancedFashionMnist(all, 10_000);
        assertArrayEquals(new int[]{28, 28, 10_000}, IdxReader.imageShape(images));

        java.util.Map<Long, Integer> remaining = new java.util.HashMap<>();
        for (long id : ids(all)) {
            remaining.merge(id, 1, Integer::sum);
        }
        java.util.List<Dataset> shards = new ShardLayout(42, 0, 3).trainShards(all);
        int total = 0;
        for (int s = 0; s < 3; s++) {
            Dataset shard = shards.get(s);
            total += shard.size();
            assertTrue(Math.abs(shard.size() - 10_000 / 3.0) < 300, "a third, within sampling error: " + shard.size());
            long[] ids = ids(shard);
            for (int i = 0; i < ids.length; i++) {
                assertTrue(i == 0 || ids[i - 1] <= ids[i], "shard " + s + " is in id order");
                assertTrue(remaining.merge(ids[i], -1, Integer::sum) >= 0, "example " + ids[i] + " in one shard");
            }
        }
        assertEquals(10_000, total);
    }

    // ---- files written here ----

    @Test
    void plainAndGzipFilesGiveTheBytesScaledTo01() {
        int n = 12;
        byte[] pixels = randomPixels(n, 5, 4, 1);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 0};
        String[] plain = write("plain", pixels, 5, 4, labels, false);
        String[] gz = write("gz", pixels, 5, 4, labels, true);
        ArrayDataset a = IdxReader.read(plain[0], plain[1], 0, 10);
        ArrayDataset b = IdxReader.read(gz[0], gz[1], 0, 10);

        float[] expected = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            expected[i] = (pixels[i] & 0xff) / 255f;
        }
        assertArrayEquals(expected, features(a).data().asFloat());
        assertArrayEquals(expected, features(b).data().asFloat());
        assertArrayEquals(labels, labels(a));
        assertArrayEquals(labels, labels(b));
        assertEquals(5, a.height());
        assertEquals(4, a.width());
    }

    @Test
    void plainPathsWithoutSchemeWork() {
        int[] labels = {3, 1};
        String[] uris = write("local", randomPixels(2, 28, 28, 2), 28, 28, labels, true);
        ArrayDataset d = IdxReader.read(dir.resolve("local-img.gz").toString(), dir.resolve("local-lbl.gz").toString(),
                0, 10);
        assertArrayEquals(labels, labels(d));
        assertSameFloats(features(IdxReader.read(uris[0], uris[1], 0, 10)), features(d), "features");
    }

    @Test
    void limitKeepsTheFirstExamples() {
        int n = 12;
        byte[] pixels = randomPixels(n, 28, 28, 3);
        int[] labels = IntStream.range(0, n).map(i -> (i * 7) % 10).toArray();
        String[] f = write("lim", pixels, 28, 28, labels, true);
        ArrayDataset all = IdxReader.read(f[0], f[1], 0, 10);
        ArrayDataset five = IdxReader.read(f[0], f[1], 5, 10);
        assertEquals(5, five.size());
        assertArrayEquals(Arrays.copyOf(labels, 5), labels(five));
        assertArrayEquals(Arrays.copyOf(ids(all), 5), ids(five));
        assertSameFloats(features(all).getRows(0, 1, 2, 3, 4), features(five), "first five");
        assertEquals(n, IdxReader.read(f[0], f[1], 1000, 10).size(), "a limit above the size keeps all");
    }

    @Test
    void wrongMagicNamesTheFileAndTheNumber() {
        Path img = dir.resolve("bad-img");
        IdxFiles.writeIdx(img, 0x00000802, new int[]{1, 28, 28}, new byte[784], false);
        Path lbl = dir.resolve("lbl");
        IdxFiles.writeLabels(lbl, new int[]{1}, false);
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(uri(img), uri(lbl), 0, 10));
        assertContains(e.getMessage(), uri(img), "0x00000802", "0x00000803");

        // images given as labels: the labels file is checked too
        Path goodImg = dir.resolve("img");
        IdxFiles.writeImages(goodImg, 1, 28, 28, new byte[784], false);
        DataException swapped = assertThrows(DataException.class,
                () -> IdxReader.read(uri(lbl), uri(goodImg), 0, 10));
        assertContains(swapped.getMessage(), uri(goodImg), "0x00000803", "0x00000801");
    }

    @Test
    void aTruncatedGzipNamesTheFile() throws IOException {
        int n = 40;
        String[] f = write("trunc", randomPixels(n, 28, 28, 4), 28, 28, new int[n], true);
        Path img = dir.resolve("trunc-img.gz");
        byte[] whole = Files.readAllBytes(img);
        Files.write(img, Arrays.copyOf(whole, whole.length / 2));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(f[0], f[1], 0, 10));
        assertContains(e.getMessage(), f[0], "truncated");
        assertTrue(e.getCause() instanceof IOException, "the gzip error is kept as the cause: " + e.getCause());
    }

    @Test
    void aTruncatedPlainLabelFileNamesTheFile() throws IOException {
        String[] f = write("short", randomPixels(6, 28, 28, 5), 28, 28, new int[6], false);
        Path lbl = dir.resolve("short-lbl");
        byte[] whole = Files.readAllBytes(lbl);
        Files.write(lbl, Arrays.copyOf(whole, whole.length - 2));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(f[0], f[1], 0, 10));
        assertContains(e.getMessage(), f[1], "truncated", "6 label bytes");
    }

    @Test
    void imageAndLabelCountsMustMatch() {
        Path img = dir.resolve("img");
        Path lbl = dir.resolve("lbl");
        IdxFiles.writeImages(img, 10, 28, 28, new byte[10 * 784], true);
        IdxFiles.writeLabels(lbl, new int[12], true);
        DataException fewerImages = assertThrows(DataException.class, () -> IdxReader.read(uri(img), uri(lbl), 0, 10));
        assertContains(fewerImages.getMessage(), uri(img), uri(lbl), "10 images", "12 labels");

        IdxFiles.writeLabels(lbl, new int[8], true);
        DataException moreImages = assertThrows(DataException.class, () -> IdxReader.read(uri(img), uri(lbl), 0, 10));
        assertContains(moreImages.getMessage(), uri(img), uri(lbl), "10 images", "8 labels");
        assertEquals(8, IdxReader.read(uri(img), uri(lbl), 8, 10).size(), "with a limit the extra images are unused");
    }

    @Test
    void aLabelOutsideTheClassesIsNamedWithItsIndex() {
        int[] labels = {0, 9, 2, 10, 1};
        String[] f = write("lbl10", new byte[5 * 784], 28, 28, labels, true);
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(f[0], f[1], 0, 10));
        assertContains(e.getMessage(), f[1], "label 10", "index 3", "[0, 10)");
        assertEquals(3, IdxReader.read(f[0], f[1], 3, 10).size(), "labels beyond the limit are not checked");
    }

    @Test
    void aMissingFileIsNamed() {
        String[] f = write("ok", new byte[784], 28, 28, new int[]{1}, false);
        String missing = uri(dir.resolve("no-such-file.gz"));
        DataException images = assertThrows(DataException.class, () -> IdxReader.read(missing, f[1], 0, 10));
        assertContains(images.getMessage(), "not found", missing);
        DataException labels = assertThrows(DataException.class, () -> IdxReader.read(f[0], missing, 0, 10));
        assertContains(labels.getMessage(), "not found", missing);
    }

    @Test
    void syntheticDataHasOneBrightBarPerClass() {
        IdxFiles.writeSynthetic(dir, "syn", 200, 10, 5, true);
        ArrayDataset d = IdxReader.read(uri(dir.resolve(IdxFiles.imagesName("syn", true))),
                uri(dir.resolve(IdxFiles.labelsName("syn", true))), 0, 10);
        assertEquals(200, d.size());
        INDArray f = features(d);
        int[] perClass = new int[10];
        for (int i = 0; i < d.size(); i++) {
            int c = d.label(i);
            perClass[c]++;
            // the brightest row of the image is the class's bar
            INDArray rows = f.getRow(i).reshape(28, 28).sum(1);
            assertEquals(2 + 2 * c, rows.argMax().getInt(0), "example " + i + " of class " + c);
        }
        assertTrue(Arrays.stream(perClass).allMatch(k -> k > 5), Arrays.toString(perClass));

        IdxFiles.writeSynthetic(dir, "again", 200, 10, 5, false);
        ArrayDataset same = IdxReader.read(uri(dir.resolve(IdxFiles.imagesName("again", false))),
                uri(dir.resolve(IdxFiles.labelsName("again", false))), 0, 10);
        assertSameFloats(f, features(same), "a pure function of (n, classes, seed)");
        assertArrayEquals(labels(d), labels(same));
    }
}
