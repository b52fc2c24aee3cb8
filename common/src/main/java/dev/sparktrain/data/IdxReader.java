package dev.sparktrain.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Reads IDX files (the MNIST family format: a big-endian magic {@code 0x000008DD} where DD is the
 * number of dimensions, the dimension sizes, then unsigned bytes), gzip-compressed or plain, from
 * any Hadoop FileSystem URI. Pixels are scaled to [0, 1].
 */
public final class IdxReader {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /**
     * Reads the examples {@code i < limit} (all when limit is 0) with {@code i % shards == shard}:
     * the static shard of one worker, read where it is used.
     */
    public static ArrayDataset readShard(String imagesUri, String labelsUri, int limit, int classes,
                                         int shard, int shards) {
        if (shards <= 0 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " outside [0, " + shards + ")");
        }
        int[] labelsAll;
        try (DataInputStream labels = open(labelsUri)) {
            int n = header(labels, labelsUri, LABELS_MAGIC, 1)[0];
            int count = limit > 0 ? Math.min(limit, n) : n;
            labelsAll = new int[count];
            byte[] raw = readFully(labels, labelsUri, count, "label");
            for (int i = 0; i < count; i++) {
                int label = raw[i] & 0xff;
                if (label >= classes) {
                    throw new DataException(labelsUri + ": label " + label + " at index " + i
                            + " is outside [0, " + classes + ") (data.classes = " + classes + ")");
                }
                labelsAll[i] = label;
            }
        } catch (IOException e) {
            throw new DataException("cannot read IDX labels " + labelsUri + ": " + e.getMessage(), e);
        }
        try (DataInputStream images = open(imagesUri)) {
            int[] dims = header(images, imagesUri, IMAGES_MAGIC, 3);
            int count = labelsAll.length;
            if (dims[0] < count || (limit == 0 && dims[0] != count)) {
                throw new DataException("image/label count mismatch: " + imagesUri + " has " + dims[0]
                        + " images but " + labelsUri + " has " + (limit == 0 ? count : "at least " + count)
                        + " labels");
            }
            return shardOf(images, imagesUri, labelsAll, dims[1], dims[2], shard, shards);
        } catch (IOException e) {
            throw new DataException("cannot read IDX images " + imagesUri + ": " + e.getMessage(), e);
        }
    }

    /** {rows, cols, count} from an image file's header. */
    public static int[] imageShape(String imagesUri) {
        try (DataInputStream in = open(imagesUri)) {
            int[] dims = header(in, imagesUri, IMAGES_MAGIC, 3);
            return new int[]{dims[1], dims[2], dims[0]};
        } catch (IOException e) {
            throw new DataException("cannot read IDX images " + imagesUri + ": " + e.getMessage(), e);
        }
    }

    /** Reads all examples (up to limit) of one file pair. */
    public static ArrayDataset read(String imagesUri, String labelsUri, int limit, int classes) {
        return readShard(imagesUri, labelsUri, limit, classes, 0, 1);
    }

    private static ArrayDataset shardOf(DataInputStream in, String uri, int[] labelsAll, int rows, int cols,
                                        int shard, int shards) throws IOException {
        int pixels = rows * cols;
        int count = labelsAll.length;
        int mine = count > shard ? (count - shard + shards - 1) / shards : 0;
        float[] features = new float[mine * pixels];
        int[] labels = new int[mine];
        int[] ids = new int[mine];
        byte[] row = new byte[pixels];
        int j = 0;
        for (int i = 0; i < count; i++) {
            try {
                in.readFully(row);
            } catch (EOFException e) {
                throw new DataException(uri + ": truncated: file ends inside image " + i + " of " + count, e);
            }
            if (i % shards != shard) {
                continue;
            }
            for (int p = 0; p < pixels; p++) {
                features[j * pixels + p] = (row[p] & 0xff) / 255f;
            }
            labels[j] = labelsAll[i];
            ids[j] = i;
            j++;
        }
        return new ArrayDataset(features, labels, ids, 1, rows, cols);
    }

    static int[] header(DataInputStream in, String uri, int expectedMagic, int dims) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new DataException(uri + ": empty or truncated IDX file (no header)", e);
        }
        if (magic != expectedMagic) {
            throw new DataException(String.format("%s: wrong IDX magic number 0x%08X, expected 0x%08X (%s)",
                    uri, magic, expectedMagic, dims == 1 ? "labels, 1 dimension" : "images, 3 dimensions"));
        }
        int[] sizes = new int[dims];
        for (int d = 0; d < dims; d++) {
            try {
                sizes[d] = in.readInt();
            } catch (EOFException e) {
                throw new DataException(uri + ": truncated IDX header", e);
            }
            if (sizes[d] < 0) {
                throw new DataException(uri + ": negative IDX dimension " + d + ": " + sizes[d]);
            }
        }
        return sizes;
    }

    private static byte[] readFully(DataInputStream in, String uri, int count, String what) throws IOException {
        byte[] raw = new byte[count];
        try {
            in.readFully(raw);
        } catch (EOFException e) {
            throw new DataException(uri + ": truncated: expected " + count + " " + what + " bytes", e);
        }
        return raw;
    }

    static DataInputStream open(String uri) throws IOException {
        return new DataInputStream(DataFiles.open(uri));
    }
}
