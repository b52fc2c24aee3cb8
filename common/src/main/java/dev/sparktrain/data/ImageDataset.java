package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;

import java.io.IOException;
import java.util.List;

/**
 * A shard of encoded images (PNG/JPEG) with class labels: {@code get(i)} reads the i-th image (from its
 * file, or from the bytes kept in memory for a table's binary column), decodes it and resizes it to the
 * configured size. It holds references, a few bytes per file-backed image, so data far larger than
 * memory trains with flat memory; image files are read through the job's Hadoop configuration.
 */
public final class ImageDataset implements Dataset {
    private static final long serialVersionUID = 1L;
    private final String[] where;
    private final byte[][] bytes;
    private final int[] labels;
    private final long[] ids;
    private final DataConfig.Image size;
    private final HadoopConf conf;

    private ImageDataset(String[] where, byte[][] bytes, int[] labels, long[] ids, DataConfig.Image size,
                         HadoopConf conf) {
        this.where = where;
        this.bytes = bytes;
        this.labels = labels;
        this.ids = ids;
        this.size = size;
        this.conf = conf;
    }

    /** The images {@code refs}, in that order, decoded to {@code size}. */
    public static ImageDataset of(List<ImageRef> refs, DataConfig.Image size, HadoopConf conf) {
        int n = refs.size();
        String[] w = new String[n];
        byte[][] b = new byte[n][];
        int[] l = new int[n];
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            ImageRef r = refs.get(i);
            w[i] = r.where();
            b[i] = r.bytes();
            l[i] = r.label();
            d[i] = r.id();
        }
        return new ImageDataset(w, b, l, d, size, conf);
    }

    /** Where image {@code i} comes from: its file URI, or its table row. */
    public String where(int i) {
        return where[i];
    }

    public int label(int i) {
        return labels[i];
    }

    @Override
    public long id(int i) {
        return ids[i];
    }

    @Override
    public int size() {
        return where.length;
    }

    @Override
    public int[] shape() {
        return new int[]{size.channels(), size.height(), size.width()};
    }

    @Override
    public Example get(int i) {
        byte[] encoded = bytes[i];
        if (encoded == null) {
            try {
                encoded = DataFiles.readAll(where[i], conf.get());
            } catch (IOException e) {
                throw new DataException("cannot read image " + where[i] + ": " + e.getMessage(), e);
            }
        }
        float[] f = ImageDecoder.decode(encoded, where[i], size.channels(), size.height(), size.width());
        return Example.classified(f, labels[i], ids[i]);
    }

    @Override
    public ImageDataset select(int[] idx) {
        String[] w = new String[idx.length];
        byte[][] b = new byte[idx.length][];
        int[] l = new int[idx.length];
        long[] d = new long[idx.length];
        for (int j = 0; j < idx.length; j++) {
            w[j] = where[idx[j]];
            b[j] = bytes[idx[j]];
            l[j] = labels[idx[j]];
            d[j] = ids[idx[j]];
        }
        return new ImageDataset(w, b, l, d, size, conf);
    }
}
