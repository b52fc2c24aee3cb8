package dev.sparktrain.config;

/** Where the training and validation data live, and how they are cut. */
public record DataConfig(DataSource train, DataSource val, int classes, boolean dropLast) {

    /** One IDX image/label file pair; {@code limit} = use only the first N examples (0 = all). */
    public record DataSource(String images, String labels, int limit) {
    }

    static DataConfig read(ConfigReader r) {
        return new DataConfig(source(r, "data.train"), source(r, "data.val"),
                (int) r.integer("data.classes", 2, 100_000), r.bool("data.drop-last"));
    }

    private static DataSource source(ConfigReader r, String prefix) {
        String images = nonEmpty(r, prefix + ".images");
        String labels = nonEmpty(r, prefix + ".labels");
        return new DataSource(images, labels, r.nonNegativeInt(prefix + ".limit"));
    }

    private static String nonEmpty(ConfigReader r, String key) {
        String value = r.string(key);
        if (value.isBlank()) {
            throw ConfigException.badValue(key, "a file path or URI", "''");
        }
        return value;
    }
}
