package dev.sparktrain.job.data;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.ImageDecoder;

/**
 * A shard of image-bytes table rows kept encoded (PNG/JPEG, typically several times smaller than the
 * decoded floats): {@code get(i)} decodes and resizes the i-th image when its minibatch is built.
 */
final class EncodedImages implements Dataset {
    private static final long serialVersionUID = 1L;
    private final byte[][] images;
    private final int[] labels;
    private final int[] ids;
    private final String table;
    private final DataConfig.Image size;

    EncodedImages(byte[][] images, int[] labels, int[] ids, String table, DataConfig.Image size) {
        this.images = images;
        this.labels = labels;
        this.ids = ids;
        this.table = table;
        this.size = size;
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public int[] shape() {
        return new int[]{size.channels(), size.height(), size.width()};
    }

    @Override
    public Example get(int i) {
        float[] f = ImageDecoder.decode(images[i], table + " row " + ids[i], size.channels(), size.height(),
                size.width());
        return Example.classified(f, labels[i], ids[i]);
    }
}
