package dev.sparktrain.data;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link Dataset} in a file on local disk, read through memory mapping: the operating system's page
 * cache holds what fits, neither the Java heap nor ND4J's memory grows with the data. Written by
 * {@link MappedDatasetWriter}. One fixed-size little-endian record per example: the features (float32,
 * channels x height x width, row-major), the class label (int32) or {@code targetSize} target values
 * (float32), then the example's id (int64). The file is mapped in regions of at most
 * {@link #REGION_BYTES} (a mapping holds at most 2 GiB). Serialized, this is a small handle (path,
 * count, shape, label kind) that maps the file on first use in a JVM.
 */
public final class MappedDataset implements Dataset {
    private static final long serialVersionUID = 2L;
    /** The largest mapped region, a multiple of 4; tests make it tiny so records straddle regions. */
    static int REGION_BYTES = 1 << 30;

    private final String path;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final int targetSize;
    private final int regionBytes;
    private transient volatile Regions regions;

    /** The mapped views of the file, one per region. */
    private record Regions(FloatBuffer[] floats, IntBuffer[] ints) {
    }

    MappedDataset(Path path, int count, int[] shape, int targetSize) {
        this.path = path.toString();
        this.count = count;
        this.channels = shape[0];
        this.height = shape[1];
        this.width = shape[2];
        this.targetSize = targetSize;
        this.regionBytes = REGION_BYTES;
        if (regionBytes <= 0 || regionBytes % 4 != 0) {
            throw new IllegalStateException("region size must be a positive multiple of 4, found " + regionBytes);
        }
    }

    /** The file holding the examples. */
    public Path path() {
        return Path.of(path);
    }

    /** Target values per example; 0 = class labels. */
    public int targetSize() {
        return targetSize;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public int[] shape() {
        return new int[]{channels, height, width};
    }

    static long recordBytes(int dim, int targetSize) {
        return 4L * (dim + Math.max(1, targetSize)) + 8;
    }

    @Override
    public long id(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("example " + i + " outside [0, " + count + ") of " + path);
        }
        long record = recordBytes(featureSize(), targetSize);
        return readLong(regions(), i * record + record - 8);
    }

    @Override
    public Example get(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("example " + i + " outside [0, " + count + ") of " + path);
        }
        Regions r = regions();
        int dim = featureSize();
        long at = i * recordBytes(dim, targetSize);
        float[] f = new float[dim];
        readFloats(r, at, f);
        at += 4L * dim;
        if (targetSize == 0) {
            int label = readInt(r, at);
            return Example.classified(f, label, readLong(r, at + 4));
        }
        float[] t = new float[targetSize];
        readFloats(r, at, t);
        return Example.valued(f, t, readLong(r, at + 4L * targetSize));
    }

    /** Two little-endian int32s, low first (records are 4-byte aligned, not 8). */
    private long readLong(Regions r, long at) {
        return (readInt(r, at) & 0xFFFFFFFFL) | ((long) readInt(r, at + 4) << 32);
    }

    private void readFloats(Regions r, long at, float[] dst) {
        int done = 0;
        while (done < dst.length) {
            long offset = at + 4L * done;
            int region = (int) (offset / regionBytes);
            int index = (int) (offset % regionBytes) / 4;
            FloatBuffer fb = r.floats()[region];
            int n = Math.min(dst.length - done, fb.limit() - index);
            fb.get(index, dst, done, n);
            done += n;
        }
    }

    private int readInt(Regions r, long at) {
        return r.ints()[(int) (at / regionBytes)].get((int) (at % regionBytes) / 4);
    }

    private Regions regions() {
        Regions r = regions;
        if (r == null) {
            synchronized (this) {
                if (regions == null) {
                    regions = map();
                }
                r = regions;
            }
        }
        return r;
    }

    private Regions map() {
        Path file = Path.of(path);
        long expected = count * recordBytes(featureSize(), targetSize);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size != expected) {
                throw new DataException(path + ": " + size + " bytes, expected " + expected + " for " + count
                        + " examples of " + channels + "x" + height + "x" + width + " (a shard file written "
                        + "by another run, or truncated)");
            }
            int n = (int) ((size + regionBytes - 1) / regionBytes);
            FloatBuffer[] floats = new FloatBuffer[n];
            IntBuffer[] ints = new IntBuffer[n];
            for (int k = 0; k < n; k++) {
                long start = (long) k * regionBytes;
                MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, start, Math.min(regionBytes, size - start));
                floats[k] = m.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                ints[k] = m.order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            }
            return new Regions(floats, ints);
        } catch (NoSuchFileException e) {
            throw new DataException("shard file " + path + " is gone (its local directory was deleted)", e);
        } catch (IOException e) {
            throw new DataException("cannot map shard file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether the file is still there. */
    public boolean exists() {
        return Files.exists(Path.of(path));
    }
}
