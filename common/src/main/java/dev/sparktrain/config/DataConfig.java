package dev.sparktrain.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the training and validation data live, in which format, how they are split, transformed and
 * collated. Defaults and their descriptions: {@code defaults.conf}, section {@code data}.
 */
public record DataConfig(String format, DataSource train, DataSource val, double valFraction, int classes,
                         String labels, boolean valueTarget, boolean dropLast, Csv csv, Image image, Table table, Transforms transforms,
                         String storage, int numWorkers) implements java.io.Serializable {

    /** The formats sparktrain reads itself; any other name is a Spark SQL source, {@value #TABLE} a catalog table. */
    public static final Set<String> FILE_FORMATS = Set.of("idx", "csv", "image-folder");
    /** {@code data.format} of a catalog table ({@code data.table.name}). */
    public static final String TABLE = "table";
    private static final Pattern FORMAT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");

    /**
     * One source: IDX image/label files, or paths (a file, a folder of part files, a glob, or several
     * of these) of CSV files, image folders or Spark SQL files; {@code limit} = its first N rows (0 = all).
     * {@code key} is its config prefix ({@code data.train}, {@code data.val}), for messages.
     */
    public record DataSource(String key, String images, String labels, int limit, List<String> paths)
            implements java.io.Serializable {
        public DataSource {
            paths = List.copyOf(paths);
        }

        /** An IDX file pair. */
        public static DataSource idx(String key, String images, String labels, int limit) {
            return new DataSource(key, images, labels, limit, List.of());
        }

        /** Files or folders at {@code paths}. */
        public static DataSource files(String key, int limit, String... paths) {
            return new DataSource(key, "", "", limit, List.of(paths));
        }

        /** The paths as the user wrote them, for messages. */
        public String describePaths() {
            return paths.size() == 1 ? paths.get(0) : paths.toString();
        }
    }

    /** CSV layout: columns by name (with a header) or 0-based index; label "-1" = last column. */
    public record Csv(boolean header, char delimiter, List<String> features, String label)
            implements java.io.Serializable {
    }

    /** The size every decoded image is resized to. */
    public record Image(int channels, int height, int width) implements java.io.Serializable {
    }

    /**
     * Spark SQL sources: the feature and label columns, the reader's options, and for a catalog table
     * ({@code data.format = table}) its name and an optional SQL filter (and those of the validation rows).
     */
    public record Table(String featuresColumn, String labelColumn, Map<String, String> options, String name,
                        String where, String valName, String valWhere) implements java.io.Serializable {
        public Table {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }
    }

    /** Feature transforms: scale, then normalize, then (training only) random crop and horizontal flip. */
    public record Transforms(double scale, double[] mean, double[] std, boolean normalizeFromTrain,
                             boolean horizontalFlip, int cropPadding) implements java.io.Serializable {
        public boolean identity() {
            return scale == 1.0 && mean.length == 0 && !normalizeFromTrain && !horizontalFlip && cropPadding == 0;
        }
    }

    /** True when the data is read by Spark SQL (any format but sparktrain's own file formats). */
    public boolean sparkSql() {
        return !FILE_FORMATS.contains(format);
    }

    static DataConfig read(ConfigReader r) {
        String format = r.string("data.format").trim();
        if (!FORMAT_NAME.matcher(format).matches()) {
            throw ConfigException.badValue("data.format", "idx, csv, image-folder, table or a Spark SQL source name "
                    + "(parquet, orc, json, ...)", "'" + format + "'");
        }
        if (FILE_FORMATS.contains(format.toLowerCase(java.util.Locale.ROOT)) || format.equalsIgnoreCase(TABLE)) {
            format = format.toLowerCase(java.util.Locale.ROOT);
        }
        double valFraction = r.number("data.val-fraction", 0, 1, true);
        Table table = table(r, format, valFraction);
        DataSource train = source(r, "data.train", format);
        DataSource val = valFraction > 0 || format.equals(TABLE) ? new DataSource("data.val", "", "",
                r.nonNegativeInt("data.val.limit"), List.of()) : source(r, "data.val", format);
        return new DataConfig(format, train, val, valFraction, (int) r.integer("data.classes", 1, 100_000),
                r.choice("data.labels", Set.of("one-hot", "index")),
                r.choice("data.target", Set.of("class", "value")).equals("value"), r.bool("data.drop-last"), csv(r),
                new Image((int) r.integer("data.image.channels", 1, 4), r.positiveInt("data.image.height"),
                        r.positiveInt("data.image.width")),
                table,
                transforms(r), r.choice("data.storage", Set.of("memory-and-disk", "memory-and-disk-ser", "memory-only", "local-disk")),
                (int) r.integer("data.num-workers", 0, 1024));
    }

    private static DataSource source(ConfigReader r, String prefix, String format) {
        int limit = r.nonNegativeInt(prefix + ".limit");
        if (format.equals("idx")) {
            return DataSource.idx(prefix, nonEmpty(r, prefix + ".images"), nonEmpty(r, prefix + ".labels"), limit);
        }
        if (format.equals(TABLE)) {
            return new DataSource(prefix, "", "", limit, List.of());
        }
        List<String> paths = r.stringOrList(prefix + ".path");
        if (paths.isEmpty() || paths.stream().anyMatch(String::isBlank)) {
            throw ConfigException.badValue(prefix + ".path", "a file, folder or glob (or a list of them) for "
                    + "data.format = " + format, paths.size() == 1 ? "'" + paths.get(0) + "'" : paths.toString());
        }
        return new DataSource(prefix, "", "", limit, paths);
    }

    private static Table table(ConfigReader r, String format, double valFraction) {
        Map<String, String> options = new LinkedHashMap<>();
        r.raw().getConfig("data.table.options").entrySet()
                .forEach(e -> options.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
        Table t = new Table(nonEmpty(r, "data.table.features-column"), nonEmpty(r, "data.table.label-column"),
                options, r.string("data.table.name").trim(), r.string("data.table.where").trim(),
                r.string("data.table.val-name").trim(), r.string("data.table.val-where").trim());
        if (format.equals(TABLE)) {
            if (t.name().isEmpty()) {
                throw ConfigException.badValue("data.table.name", "a catalog table name for data.format = table", "''");
            }
            if (valFraction == 0 && t.valName().isEmpty() && t.valWhere().isEmpty()) {
                throw ConfigException.badValue("data.table.val-where", "a filter selecting the validation rows "
                        + "(or set data.table.val-name, or data.val-fraction > 0) for data.format = table", "''");
            }
        }
        return t;
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
