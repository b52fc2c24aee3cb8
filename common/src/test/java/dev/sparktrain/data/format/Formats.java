package dev.sparktrain.data.format;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.Record;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: a data config from overrides, and a source's rows read part by part in order. */
public final class Formats {
    private Formats() {
    }

    public static DataConfig config(String... overrides) {
        return ConfigLoader.parse("", List.of(overrides)).data();
    }

    public static Source open(DataConfig c) {
        return DataFormats.open(c, c.train(), HadoopConf.defaults());
    }

    /** Every row of the training source, parts in order. */
    public static List<Record> records(Source source) {
        List<Record> out = new ArrayList<>();
        for (int p = 0; p < source.parts(); p++) {
            try (RecordReader r = source.read(p)) {
                r.forEachRemaining(out::add);
            }
        }
        return out;
    }

    public static List<Example> examples(DataConfig c) {
        return records(open(c)).stream().map(r -> (Example) r).toList();
    }

    /** The message of the DataException that opening and reading the training source throws. */
    public static String failure(DataConfig c) {
        return assertThrows(DataException.class, () -> records(open(c))).getMessage();
    }

    public static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing in: " + message);
        }
    }
}
