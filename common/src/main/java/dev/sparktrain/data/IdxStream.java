package dev.sparktrain.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * An IDX image/label file pair read sequentially (gzip streams cannot seek): one label byte and one
 * image per example, pixels scaled to [0, 1], the same examples as {@link IdxReader#read}.
 */
final class IdxStream implements ExampleStream {
    private final String imagesUri;
    private final String labelsUri;
    private final int classes;
    private final DataInputStream images;
    private final DataInputStream labels;
    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] row;
    private int next;

    IdxStream(String imagesUri, String labelsUri, int limit, int classes) {
        this.imagesUri = imagesUri;
        this.labelsUri = labelsUri;
        this.classes = classes;
        try {
            labels = IdxReader.open(labelsUri);
            int n = IdxReader.header(labels, labelsUri, 0x00000801, 1)[0];
            count = limit > 0 ? Math.min(limit, n) : n;
        } catch (IOException e) {
            throw new DataException("cannot read IDX labels " + labelsUri + ": " + e.getMessage(), e);
        }
        try {
            images = IdxReader.open(imagesUri);
            int[] dims = IdxReader.header(images, imagesUri, 0x00000803, 3);
            if (dims[0] < count || (limit == 0 && dims[0] != count)) {
                throw new DataException("image/label count mismatch: " + imagesUri + " has " + dims[0]
                        + " images but " + labelsUri + " has " + (limit == 0 ? count : "at least " + count)
                        + " labels");
            }
            rows = dims[1];
            cols = dims[2];
            row = new byte[rows * cols];
        } catch (IOException e) {
            close();
            throw new DataException("cannot read IDX images " + imagesUri + ": " + e.getMessage(), e);
        }
    }

    int[] shape() {
        return new int[]{1, rows, cols};
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public boolean hasNext() {
        return next < count;
    }

    @Override
    public Example next() {
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
        return Example.classified(f, label, i);
    }

    @Override
    public void close() {
        try {
            if (labels != null) {
                labels.close();
            }
            if (images != null) {
                images.close();
            }
        } catch (IOException e) {
            throw new DataException("cannot close " + imagesUri + ": " + e.getMessage(), e);
        }
    }
}
