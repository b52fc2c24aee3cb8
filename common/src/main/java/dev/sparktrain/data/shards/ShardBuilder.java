package dev.sparktrain.data.shards;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.ImageDataset;
import dev.sparktrain.data.ImageRef;
import dev.sparktrain.data.MappedDataset;
import dev.sparktrain.data.MappedDatasetWriter;
import dev.sparktrain.data.Record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A shard's rows, in the order they are added, as one {@link Dataset}: decoded examples in memory
 * ({@link ArrayDataset}) or streamed into a local file ({@link MappedDataset}, only a write buffer held),
 * encoded images as references ({@link ImageDataset}).
 */
public final class ShardBuilder {
    private final int[] shape;
    private final int targetSize;
    private final HadoopConf conf;
    private final Path file;
    private ArrayDataset.Builder arrays;
    private MappedDatasetWriter writer;
    private List<ImageRef> images;
    private int count;

    /**
     * Rows of {@code shape} ({c, h, w}; for images the size they are decoded to) with class labels
     * ({@code targetSize} 0) or target values; decoded rows go to {@code file} when it is not null.
     */
    public ShardBuilder(int[] shape, int targetSize, HadoopConf conf, Path file) {
        this.shape = shape.clone();
        this.targetSize = targetSize;
        this.conf = conf;
        this.file = file;
    }

    /** Builds the shard from all of {@code rows}; a failure deletes the file, if any. */
    public static Dataset build(Iterator<? extends Record> rows, int[] shape, int targetSize, HadoopConf conf,
                                Path file) {
        ShardBuilder b = new ShardBuilder(shape, targetSize, conf, file);
        try {
            rows.forEachRemaining(b::add);
            return b.finish();
        } catch (RuntimeException e) {
            b.abandon();
            throw e;
        }
    }

    public void add(Record r) {
        if (r instanceof ImageRef ref) {
            if (arrays != null || writer != null) {
                throw new IllegalStateException("a shard holds decoded examples or images, not both");
            }
            if (images == null) {
                images = new ArrayList<>();
            }
            images.add(ref);
        } else if (r instanceof Example e) {
            if (images != null) {
                throw new IllegalStateException("a shard holds decoded examples or images, not both");
            }
            if (file != null) {
                if (writer == null) {
                    writer = new MappedDatasetWriter(file, shape, targetSize);
                }
                writer.put(count, e);
            } else {
                if (arrays == null) {
                    arrays = new ArrayDataset.Builder(shape, targetSize);
                }
                arrays.add(e);
            }
        }
        count++;
    }

    public Dataset finish() {
        if (images != null) {
            return ImageDataset.of(images, new DataConfig.Image(shape[0], shape[1], shape[2]), conf);
        }
        if (file != null) {
            if (writer == null) {
                writer = new MappedDatasetWriter(file, shape, targetSize);
            }
            return writer.finish();
        }
        return (arrays == null ? new ArrayDataset.Builder(shape, targetSize) : arrays).build();
    }

    /** Closes and deletes the file of a shard that failed. */
    public void abandon() {
        if (writer != null) {
            writer.close();
        }
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the abandoned file goes with its local directory
            }
        }
    }
}
