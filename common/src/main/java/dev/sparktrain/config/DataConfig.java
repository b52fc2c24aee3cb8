package dev.sparktrain.config;

import java.util.List;
import java.util.Set;

/**
 * Where the training and validation data live, in which format, how they are split, transformed and
 * collated. Defaults and their descriptions: {@code defaults.conf}, section {@code data}.
 */
public record DataConfig(String format, DataSource train, DataSource val, double valFraction, int classes,
                         String labels, boolean valueTarget, boolean dropLast, Csv csv, Image image, Table table, Transforms transforms,
                         String storage, int numWorkers) implements java.io.Serializable {

    public static final Set<String> FORMATS = Set.of("idx", "csv", "image-folder", "parquet");

    /** IDX image/label files, or the path of a CSV file, image folder or table; {@code limit} = first N (0 = all). */
    public record DataSource(String images, String labels, int limit, String path) implements java.io.Serializable {
        /** An IDX file pair. */
        public DataSource(String images, String labels, int limit) {
            this(images, labels, limit, "");
        }
    }

    /** CSV layout: columns by name (with a header) or 0-based index; label "-1" = last column. */
    public record Csv(boolean header, char delimiter, List<String> features, String label)
            implements java.io.Serializable {
    }

    /** The size every decoded image is resized to. */
    public record Image(int channels, int height, int width) implements java.io.Serializable {
    }

    /** A Spark SQL source: its format and the feature and label columns. */
    public record Table(String sourceFormat, String featuresColumn, String labelColumn) implements java.io.Serializable {
    }

    /** Feature transforms: scale, then normalize, then (training only) random crop and horizontal flip. */
    public record Transforms(double scale, double[] mean, double[] std, boolean normalizeFromTrain,
                             boolean horizontalFlip, int cropPadding) implements java.io.Serializable {
        public boolean identity() {
            return scale == 1.0 && mean.length == 0 && !normalizeFromTrain && !horizontalFlip && cropPadding == 0;
        }
    }

    public boolean isIdx() {
        return format.equals("idx");
    }

    static DataConfig read(ConfigReader r) {
        String format = r.choice("data.format", FORMATS);
        double valFraction = r.number("data.val-fraction", 0, 1, true);
        DataSource train = source(r, "data.train", format);
        DataSource val = valFraction > 0 ? new DataSource("", "", 0, "") : source(r, "data.val", format);
        return new DataConfig(format, train, val, valFraction, (int) r.integer("data.classes", 1, 100_000),
                r.choice("data.labels", Set.of("one-hot", "index")),
                r.choice("data.target", Set.of("class", "value")).equals("value"), r.bool("data.drop-last"), csv(r),
                new Image((int) r.integer("data.image.channels", 1, 4), r.positiveInt("data.image.height"),
                        r.positiveInt("data.image.width")),
                new Table(nonEmpty(r, "data.table.source-format"), nonEmpty(r, "data.table.features-column"),
                        nonEmpty(r, "data.table.label-column")),
                transforms(r), r.choice("data.storage", Set.of("memory-and-disk", "memory-and-disk-ser", "memory-only", "local-disk")),
                (int) r.integer("data.num-workers", 0, 1024));
    }

    private static DataSource source(ConfigReader r, String prefix, String format) {
        int limit = r.nonNegativeInt(prefix + ".limit");
        if (format.equals("idx")) {
            return new DataSource(nonEmpty(r, prefix + ".images"), nonEmpty(r, prefix + ".labels"), limit,
                    r.string(prefix + ".path"));
        }
        return new DataSource(r.string(prefix + ".images"), r.string(prefix + ".labels"), limit,
                nonEmpty(r, prefix + ".path"));
    }

    private static Csv csv(ConfigReader r) {
        String delimiter = r.string("data.csv.delimiter");
        if (delimiter.length() != 1) {
            throw ConfigException.badValue("data.csv.delimiter", "one character", "'" + delimiter + "'");
        }
        List<String> features = r.raw().getList("data.csv.features").unwrapped().stream()
                .map(String::valueOf).toList();
        return new Csv(r.bool("data.csv.header"), delimiter.charAt(0), features, nonEmpty(r, "data.csv.label"));
    }

    private static Transforms transforms(ConfigReader r) {
        double[] mean = r.raw().getDoubleList("data.transforms.mean").stream().mapToDouble(Double::doubleValue).toArray();
        double[] std = r.numbers("data.transforms.std", mean.length);
        for (double s : std) {
            if (!(s > 0)) {
                throw ConfigException.badValue("data.transforms.std", "positive numbers, one per channel", s);
            }
        }
        boolean fromTrain = r.bool("data.transforms.normalize-from-train");
        if (fromTrain && mean.length > 0) {
            throw ConfigException.badValue("data.transforms.mean",
                    "[] when data.transforms.normalize-from-train = true", java.util.Arrays.toString(mean));
        }
        return new Transforms(r.number("data.transforms.scale", -1e9, 1e9, false), mean, std, fromTrain,
                r.bool("data.transforms.horizontal-flip"), r.nonNegativeInt("data.transforms.crop-padding"));
    }

    private static String nonEmpty(ConfigReader r, String key) {
        String value = r.string(key);
        if (value.isBlank()) {
            throw ConfigException.badValue(key, "a non-empty value (file path or URI, name)", "''");
        }
        return value;
    }
}
