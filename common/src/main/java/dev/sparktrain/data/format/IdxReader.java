package dev.sparktrain.data.format;

import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.DataFiles;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.Record;
import org.apache.hadoop.conf.Configuration;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * Reads IDX files (the MNIST family format: a big-endian magic {@code 0x000008DD} where DD is the
 * number of dimensions, the dimension sizes, then unsigned bytes), gzip-compressed or plain, from any
 * Hadoop FileSystem URI: an image/label file pair read sequentially (gzip streams cannot seek), one
 * label byte and one image per example, pixels scaled to [0, 1], ids from the content.
 */
public final class IdxReader implements RecordReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private final String imagesUri;
    private final String labelsUri;
    private final int classes;
    private final DataInputStream images;
    private final DataInputStream labels;
    private final int count;
    private final byte[] row;
    private final int rows;
    private final int cols;
    private int next;

    /** Opens the pair for reading its first {@code limit} examples (0 = all), checking both headers. */
    IdxReader(String imagesUri, String labelsUri, int limit, int classes, Configuration conf) {
        this.imagesUri = imagesUri;
        this.labelsUri = labelsUri;
        this.classes = classes;
        DataInputStream lbl = null;
        DataInputStream img = null;
        try {
            lbl = open(labelsUri, conf, 1 << 16);
            int n = header(lbl, labelsUri, LABELS_MAGIC, 1)[0];
            count = limit > 0 ? Math.min(limit, n) : n;
        } catch (IOException e) {
            closeQuietly(lbl);
            throw new DataException("cannot read IDX labels " + labelsUri + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(lbl);
            throw e;
        }
        try {
            img = open(imagesUri, conf, 1 << 16);
            int[] dims = header(img, imagesUri, IMAGES_MAGIC, 3);
            if (dims[0] < count || (limit == 0 && dims[0] != count)) {
                throw new DataException("image/label count mismatch: " + imagesUri + " has " + dims[0]
                        + " images but " + labelsUri + " has " + (limit == 0 ? count : "at least " + count)
                        + " labels");
            }
            rows = dims[1];
            cols = dims[2];
            row = new byte[rows * cols];
        } catch (IOException e) {
            closeQuietly(lbl);
            closeQuietly(img);
            throw new DataException("cannot read IDX images " + imagesUri + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(lbl);
            closeQuietly(img);
            throw e;
        }
        this.labels = lbl;
        this.images = img;
    }

    /** All examples (up to {@code limit}, 0 = all) of one file pair, in memory, read with Hadoop's defaults. */
    public static ArrayDataset read(String imagesUri, String labelsUri, int limit, int classes) {
        try (IdxReader r = new IdxReader(imagesUri, labelsUri, limit, classes, HadoopConf.defaults().get())) {
            ArrayDataset.Builder b = new ArrayDataset.Builder(new int[]{1, r.rows, r.cols}, 0);
            r.forEachRemaining(e -> b.add((Example) e));
            return b.build();
        }
    }

    /** {rows, cols, count} from an image file's header (reads only the header). */
    public static int[] imageShape(String imagesUri, Configuration conf) {
        try (DataInputStream in = open(imagesUri, conf, 4096)) {
            int[] dims = header(in, imagesUri, IMAGES_MAGIC, 3);
            return new int[]{dims[1], dims[2], dims[0]};
        } catch (IOException e) {
            throw new DataException("cannot read IDX images " + imagesUri + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #imageShape(String, Configuration)} with Hadoop's defaults. */
    public static int[] imageShape(String imagesUri) {
        return imageShape(imagesUri, HadoopConf.defaults().get());
    }

    @Override
    public boolean hasNext() {
        return next < count;
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int i = next++;
        int label;
        try {
            label = labels.readUnsignedByte();
        } catch (EOFException e) {
            throw new DataException(labelsUri + ": truncated: expected " + count + " label bytes", e);
        } catch (IOException e) {
            throw new DataException("cannot read IDX labels " + labelsUri + ": " + e.getMessage(), e);
        }
        if (label >= classes) {
            throw new DataException(labelsUri + ": label " + label + " at index " + i
                    + " is outside [0, " + classes + ") (data.classes = " + classes + ")");
        }
        try {
            images.readFully(row);
        } catch (EOFException e) {
            throw new DataException(imagesUri + ": truncated: file ends inside image " + i + " of " + count, e);
        } catch (IOException e) {
            throw new DataException("cannot read IDX images " + imagesUri + ": " + e.getMessage(), e);
        }
        float[] f = new float[row.length];
        for (int p = 0; p < row.length; p++) {
            f[p] = (row[p] & 0xff) / 255f;
        }
        return Example.classified(f, label);
    }

    @Override
    public void close() {
        closeQuietly(labels);
        closeQuietly(images);
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

    private static DataInputStream open(String uri, Configuration conf, int buffer) throws IOException {
        return new DataInputStream(DataFiles.open(uri, conf, buffer));
    }

    private static void closeQuietly(DataInputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException e) {
            // nothing was written through it; the read's own error, if any, is the one to report
        }
    }
}
