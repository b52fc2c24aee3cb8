package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shard s of P of the configured IDX or CSV data streamed into a {@link MappedDataset} file: the
 * same examples, in the same order, as {@link DataSources#shard}, but read one at a time (IDX
 * sequentially, gz included) and written straight to disk, so the decoded shard is never whole in the
 * heap. With a validation split the source is counted first (CSV: one extra pass) to draw the split.
 */
public final class ShardFiles {
    private ShardFiles() {
    }

    /** Whether {@code format} streams into a shard file (image folders are read lazily anyway). */
    public static boolean streams(String format) {
        return format.equals("idx") || format.equals("csv");
    }

    /** Writes the shard into {@code file} (replacing it) and returns it mapped. */
    public static MappedDataset write(DataConfig c, boolean training, long seed, int shard, int shards, Path file) {
        if (shards <= 0 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " outside [0, " + shards + ")");
        }
        boolean split = c.valFraction() > 0;
        DataConfig.DataSource src = training || split ? c.train() : c.val();
        try (ExampleStream stream = open(c, src)) {
            int[] shape = c.isIdx() ? ((IdxStream) stream).shape() : new int[]{1, 1, ((CsvStream) stream).features()};
            int[] positions = split ? positions(stream.count(), c.valFraction(), training, seed) : null;
            MappedDatasetWriter writer = new MappedDatasetWriter(file, shape, c.valueTarget() ? 1 : 0);
            boolean any = false;
            try {
                while (stream.hasNext()) {
                    Example e = stream.next();
                    any = true;
                    int pos = positions == null ? e.id() : positions[e.id()];
                    if (pos >= 0 && pos % shards == shard) {
                        writer.put(pos / shards, e);
                    }
                }
                if (!any) {
                    throw new DataException("empty dataset: " + (c.isIdx() ? src.images() : src.path()));
                }
                return writer.finish();
            } catch (RuntimeException e) {
                writer.close();
                delete(file);
                throw e;
            }
        }
    }

    /** For each source example, its position in the split's part (-1 = the other part). */
    static int[] positions(int n, double valFraction, boolean training, long seed) {
        int[] part = DataSources.positions(n, valFraction, training, seed);
        int[] pos = new int[n];
        java.util.Arrays.fill(pos, -1);
        for (int j = 0; j < part.length; j++) {
            pos[part[j]] = j;
        }
        return pos;
    }

    private static ExampleStream open(DataConfig c, DataConfig.DataSource src) {
        return switch (c.format()) {
            case "idx" -> new IdxStream(src.images(), src.labels(), src.limit(), c.classes());
            case "csv" -> new CsvStream(src.path(), c.csv(), c.valueTarget(), c.classes(), src.limit());
            default -> throw new IllegalArgumentException("data.format = " + c.format() + " is not streamed to a shard file");
        };
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the abandoned file goes with Spark's local directory
        }
    }
}
