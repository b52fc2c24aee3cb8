package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;

/**
 * The configured datasets, as a whole (single process) or as shard s of P (one Spark worker):
 * read the source, apply the train/validation split, keep the shard's examples (position j of the
 * split goes to shard j mod P, as {@link BatchPlan} expects), and attach transforms and label mode.
 * Formats read by Spark SQL (parquet) are opened by the job's data package instead.
 */
public final class DataSources {
    private DataSources() {
    }

    /** The training ({@code training = true}) or validation examples, untransformed. */
    public static Dataset read(DataConfig c, boolean training, long seed) {
        return shard(c, training, seed, 0, 1);
    }

    /** Shard {@code shard} of {@code shards} of the training or validation examples, untransformed. */
    public static Dataset shard(DataConfig c, boolean training, long seed, int shard, int shards) {
        if (shards <= 0 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " outside [0, " + shards + ")");
        }
        boolean split = c.valFraction() > 0;
        DataConfig.DataSource src = training || split ? c.train() : c.val();
        if (c.isIdx() && !split) {
            return IdxReader.readShard(src.images(), src.labels(), src.limit(), c.classes(), shard, shards);
        }
        Dataset all = source(c, src);
        if (all.size() == 0) {
            throw new DataException("empty dataset: " + describe(c, src));
        }
        int[] part = positions(all.size(), c.valFraction(), training, seed);
        if (shards == 1 && part == null) {
            return all;
        }
        int n = part == null ? all.size() : part.length;
        int mine = n > shard ? (n - shard + shards - 1) / shards : 0;
        int[] idx = new int[mine];
        for (int j = 0; j < mine; j++) {
            int pos = j * shards + shard;
            idx[j] = part == null ? pos : part[pos];
        }
        return all.select(idx);
    }

    /** The indices of the split's part, or null without a split. */
    static int[] positions(int n, double valFraction, boolean training, long seed) {
        if (valFraction <= 0) {
            return null;
        }
        Split s = Split.of(n, valFraction, seed);
        return training ? s.train() : s.val();
    }

    /** A whole source in the configured format. */
    static Dataset source(DataConfig c, DataConfig.DataSource src) {
        return switch (c.format()) {
            case "idx" -> IdxReader.read(src.images(), src.labels(), src.limit(), c.classes());
            case "csv" -> CsvReader.read(src.path(), c.csv(), c.valueTarget(), c.classes(), src.limit());
            case "image-folder" -> ImageFolderDataset.scan(src.path(), c.image(), c.classes(), src.limit());
            default -> throw new DataException("data.format = " + c.format() + " is read through Spark SQL: "
                    + "train with Spark (not --local), or convert " + src.path() + " to csv or an image folder");
        };
    }

    /** {channels, height, width} of the examples, without reading the data. */
    public static int[] shape(DataConfig c) {
        return switch (c.format()) {
            case "idx" -> {
                int[] s = IdxReader.imageShape(c.train().images());
                yield new int[]{1, s[0], s[1]};
            }
            case "csv" -> new int[]{1, 1, CsvReader.featureCount(c.train().path(), c.csv())};
            default -> new int[]{c.image().channels(), c.image().height(), c.image().width()};
        };
    }

    /** {@code data} with the configured transforms and label mode (mean/std already resolved), or as is. */
    public static Dataset transformed(Dataset data, DataConfig c, boolean training, long seed, double[] mean,
                                      double[] std) {
        LabelMode mode = LabelMode.parse(c.labels());
        if (c.transforms().identity() && mode == LabelMode.ONE_HOT) {
            return data;
        }
        return new TransformedDataset(data, c.transforms(), mean, std, training, mode, seed);
    }

    /** The configured mean/std, or those of {@code trainData} when normalize-from-train is set. */
    public static double[][] normalization(DataConfig c, Dataset trainData) {
        if (c.transforms().normalizeFromTrain()) {
            ChannelStats s = ChannelStats.of(trainData, c.transforms().scale());
            return new double[][]{s.mean(), s.std()};
        }
        return new double[][]{c.transforms().mean(), c.transforms().std()};
    }

    private static String describe(DataConfig c, DataConfig.DataSource src) {
        return c.isIdx() ? src.images() : src.path();
    }
}
