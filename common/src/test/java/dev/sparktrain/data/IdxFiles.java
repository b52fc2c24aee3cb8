package dev.sparktrain.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files (the MNIST format) for tests: images {@code 0x00000803}, labels {@code 0x00000801},
 * big-endian int header, then unsigned bytes; gzip-compressed or plain. Shared with the spark-job
 * tests through the test-jar, so keep the public signatures stable.
 */
public final class IdxFiles {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {
    }

    /** {@code n} images of {@code rows x cols}; {@code pixels} holds n*rows*cols bytes, row-major. */
    public static void writeImages(Path file, int n, int rows, int cols, byte[] pixels, boolean gzip) {
        if (pixels.length != n * rows * cols) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + n + " images of "
                    + rows + "x" + cols);
        }
        writeIdx(file, IMAGES_MAGIC, new int[]{n, rows, cols}, pixels, gzip);
    }

    /** One label byte per example. */
    public static void writeLabels(Path file, int[] labels, boolean gzip) {
        byte[] raw = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + labels[i] + " does not fit an unsigned byte");
            }
            raw[i] = (byte) labels[i];
        }
        writeIdx(file, LABELS_MAGIC, new int[]{labels.length}, raw, gzip);
    }

    /** Any header: {@code magic}, the dimension sizes, then {@code data} as is (for malformed files). */
    public static void writeIdx(Path file, int magic, int[] dims, byte[] data, boolean gzip) {
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream maybeGz = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(maybeGz))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The image file name {@link #writeSynthetic} uses. */
    public static String imagesName(String prefix, boolean gzip) {
        return prefix + "-images-idx3-ubyte" + (gzip ? ".gz" : "");
    }

    /** The label file name {@link #writeSynthetic} uses. */
    public static String labelsName(String prefix, boolean gzip) {
        return prefix + "-labels-idx1-ubyte" + (gzip ? ".gz" : "");
    }

    /**
     * A learnable 28x28 dataset of {@code n} examples: class c (uniformly drawn) is a bright bar,
     * horizontal at row 2 + 2c for c &lt; 13, vertical at column 2 + 2(c - 13) for 13 &lt;= c &lt; 26,
     * over dim noise. Writes {@code <prefix>-images-idx3-ubyte[.gz]} and
     * {@code <prefix>-labels-idx1-ubyte[.gz]} into {@code dir}; a pure function of the arguments.
     */
    public static void writeSynthetic(Path dir, String prefix, int n, int classes, long seed, boolean gzip) {
        if (classes < 1 || classes > 26) {
            throw new IllegalArgumentException("synthetic data supports 1 to 26 classes, not " + classes);
        }
        int rows = 28;
        int cols = 28;
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] pixels = new byte[n * rows * cols];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(classes);
            labels[i] = c;
            int base = i * rows * cols;
            for (int r = 0; r < rows; r++) {
                for (int col = 0; col < cols; col++) {
                    boolean bar = c < 13 ? r == 2 + 2 * c && col >= 4 && col < 24
                            : col == 2 + 2 * (c - 13) && r >= 4 && r < 24;
                    pixels[base + r * cols + col] = (byte) (bar ? 192 + rng.nextInt(64) : rng.nextInt(64));
                }
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        writeImages(dir.resolve(imagesName(prefix, gzip)), n, rows, cols, pixels, gzip);
        writeLabels(dir.resolve(labelsName(prefix, gzip)), labels, gzip);
    }
}
