package dev.sparktrain.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    public static final Set<String> LABELS = Set.of("one-hot", "index");
    public static final Set<String> STORAGES = Set.of("memory-and-disk", "memory-and-disk-ser", "memory-only",
            "local-disk");
    private static final Pattern FORMAT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");
    private static final String NON_EMPTY = "a non-empty value (file path or URI, name)";

    /**
     * Checked as the config file is, with its messages: the format's name, the split, the classes, the
     * sources the format needs (a validation source only without {@code valFraction}), the catalog table's
     * name and validation filter, storage and loading threads. The format name of sparktrain's own formats
     * and of {@code table} is lower-cased, as the config file's is.
     */
    public DataConfig {
        format = format.trim();
        if (!FORMAT_NAME.matcher(format).matches()) {
            throw ConfigException.badValue("data.format", "idx, csv, image-folder, table or a Spark SQL source name "
                    + "(parquet, orc, json, ...)", "'" + format + "'");
        }
        String lower = format.toLowerCase(Locale.ROOT);
        if (FILE_FORMATS.contains(lower) || lower.equals(TABLE)) {
            format = lower;
        }
        Check.number("data.val-fraction", valFraction, 0, 1, true);
        if (format.equals(TABLE)) {
            Check.nonBlank("data.table.name", table.name(), "a catalog table name for data.format = table");
            if (valFraction == 0 && table.valName().isEmpty() && table.valWhere().isEmpty()) {
                throw ConfigException.badValue("data.table.val-where", "a filter selecting the validation rows "
                        + "(or set data.table.val-name, or data.val-fraction > 0) for data.format = table", "''");
            }
        }
        train.checkFor(format);
        if (valFraction == 0) {
            val.checkFor(format);
        }
        Check.range("data.classes", classes, 1, 100_000);
        labels = Check.choice("data.labels", labels.toLowerCase(Locale.ROOT), LABELS);
        storage = Check.choice("data.storage", storage.toLowerCase(Locale.ROOT), STORAGES);
        Check.range("data.num-workers", numWorkers, 0, 1024);
    }

    /**
     * One source: IDX image/label files, or paths (a file, a folder of part files, a glob, or several
     * of these) of CSV files, image folders or Spark SQL files; {@code limit} = its first N rows (0 = all).
     * {@code key} is its config prefix ({@code data.train}, {@code data.val}), for messages.
     */
    public record DataSource(String key, String images, String labels, int limit, List<String> paths)
            implements java.io.Serializable {
        public DataSource {
            paths = List.copyOf(paths);
            Check.nonNegative(key + ".limit", limit);
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

        /** Checks that this source names what {@code format} reads: an IDX pair, paths, or nothing (a table). */
        void checkFor(String format) {
            if (format.equals("idx")) {
                Check.nonBlank(key + ".images", images, NON_EMPTY);
                Check.nonBlank(key + ".labels", labels, NON_EMPTY);
            } else if (!format.equals(TABLE) && (paths.isEmpty() || paths.stream().anyMatch(String::isBlank))) {
                throw ConfigException.badValue(key + ".path", "a file, folder or glob (or a list of them) for "
                        + "data.format = " + format, paths.size() == 1 ? "'" + paths.get(0) + "'" : paths.toString());
            }
        }
    }

    /** CSV layout: columns by name (with a header) or 0-based index; label "-1" = last column. */
    public record Csv(boolean header, char delimiter, List<String> features, String label)
            implements java.io.Serializable {
        public Csv {
            features = List.copyOf(features);
            Check.nonBlank("data.csv.label", label, NON_EMPTY);
        }
    }

    /** The size every decoded image is resized to. */
    public record Image(int channels, int height, int width) implements java.io.Serializable {
        public Image {
            Check.range("data.image.channels", channels, 1, 4);
            Check.positive("data.image.height", height);
            Check.positive("data.image.width", width);
        }
    }

    /**
     * Spark SQL sources: the feature and label columns, the reader's options, and for a catalog table
     * ({@code data.format = table}) its name and an optional SQL filter (and those of the validation rows).
     */
    public record Table(String featuresColumn, String labelColumn, Map<String, String> options, String name,
                        String where, String valName, String valWhere) implements java.io.Serializable {
        public Table {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
            Check.nonBlank("data.table.features-column", featuresColumn, NON_EMPTY);
            Check.nonBlank("data.table.label-column", labelColumn, NON_EMPTY);
            name = name.trim();
            where = where.trim();
            valName = valName.trim();
            valWhere = valWhere.trim();
        }
    }

    /** Feature transforms: scale, then normalize, then (training only) random crop and horizontal flip. */
    public record Transforms(double scale, double[] mean, double[] std, boolean normalizeFromTrain,
                             boolean horizontalFlip, int cropPadding) implements java.io.Serializable {
        /** Checked as the config file is: one std per mean, all positive; no mean when it comes from the data. */
        public Transforms {
            mean = mean.clone();
            std = std.clone();
            if (std.length != mean.length) {
                throw ConfigException.badValue("data.transforms.std", "a list of " + mean.length + " numbers",
                        render(std));
            }
            for (double s : std) {
                if (!(s > 0)) {
                    throw ConfigException.badValue("data.transforms.std", "positive numbers, one per channel", s);
                }
            }
            if (normalizeFromTrain && mean.length > 0) {
                throw ConfigException.badValue("data.transforms.mean",
                        "[] when data.transforms.normalize-from-train = true", render(mean));
            }
            Check.number("data.transforms.scale", scale, -1e9, 1e9, false);
            Check.nonNegative("data.transforms.crop-padding", cropPadding);
        }

        public boolean identity() {
            return scale == 1.0 && mean.length == 0 && !normalizeFromTrain && !horizontalFlip && cropPadding == 0;
        }

        /** As the config file writes it: [0.5, 1]. */
        private static String render(double[] values) {
            return java.util.Arrays.stream(values).mapToObj(v -> v == Math.rint(v) && Math.abs(v) < 1e15
                    ? String.valueOf((long) v) : String.valueOf(v)).collect(java.util.stream.Collectors.joining(",", "[", "]"));
        }
    }

    /** True when the data is read by Spark SQL (any format but sparktrain's own file formats). */
    public boolean sparkSql() {
        return !FILE_FORMATS.contains(format);
    }

    static DataConfig read(ConfigReader r) {
        double valFraction = r.number("data.val-fraction");
        String format = r.string("data.format");
        String name = format.trim().toLowerCase(Locale.ROOT);
        return new DataConfig(format, source(r, "data.train", name), name.equals(TABLE) || valFraction > 0
                ? new DataSource("data.val", "", "", r.intValue("data.val.limit"), List.of())
                : source(r, "data.val", name), valFraction, r.intValue("data.classes"), r.string("data.labels"),
                r.choice("data.target", Set.of("class", "value")).equals("value"), r.bool("data.drop-last"), csv(r),
                new Image(r.intValue("data.image.channels"), r.intValue("data.image.height"),
                        r.intValue("data.image.width")),
                table(r), transforms(r), r.string("data.storage"), r.intValue("data.num-workers"));
    }

    /** The keys {@code format} reads: an IDX pair, paths, or none (a catalog table). */
    private static DataSource source(ConfigReader r, String prefix, String format) {
        int limit = r.intValue(prefix + ".limit");
        return switch (format) {
            case TABLE -> new DataSource(prefix, "", "", limit, List.of());
            case "idx" -> DataSource.idx(prefix, r.string(prefix + ".images"), r.string(prefix + ".labels"), limit);
            default -> DataSource.files(prefix, limit, r.stringOrList(prefix + ".path").toArray(String[]::new));
        };
    }

    private static Table table(ConfigReader r) {
        Map<String, String> options = new LinkedHashMap<>();
        r.raw().getConfig("data.table.options").entrySet()
                .forEach(e -> options.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
        return new Table(r.string("data.table.features-column"), r.string("data.table.label-column"), options,
                r.string("data.table.name"), r.string("data.table.where"), r.string("data.table.val-name"),
                r.string("data.table.val-where"));
    }

    private static Csv csv(ConfigReader r) {
        String delimiter = r.string("data.csv.delimiter");
        if (delimiter.length() != 1) {
            throw ConfigException.badValue("data.csv.delimiter", "one character", "'" + delimiter + "'");
        }
        List<String> features = r.raw().getList("data.csv.features").unwrapped().stream()
                .map(String::valueOf).toList();
        return new Csv(r.bool("data.csv.header"), delimiter.charAt(0), features, r.string("data.csv.label"));
    }

    private static Transforms transforms(ConfigReader r) {
        return new Transforms(r.number("data.transforms.scale"), numbers(r, "data.transforms.mean"),
                numbers(r, "data.transforms.std"), r.bool("data.transforms.normalize-from-train"),
                r.bool("data.transforms.horizontal-flip"), r.intValue("data.transforms.crop-padding"));
    }

    private static double[] numbers(ConfigReader r, String key) {
        try {
            return r.raw().getDoubleList(key).stream().mapToDouble(Double::doubleValue).toArray();
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw ConfigException.badValue(key, "a list of numbers", r.raw().getValue(key)
                    .render(com.typesafe.config.ConfigRenderOptions.concise()));
        }
    }
}
