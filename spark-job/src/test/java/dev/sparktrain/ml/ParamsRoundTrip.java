package dev.sparktrain.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWritable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark's {@code DefaultReadWriteTest} for Java stages: every Param is set (so none is left out of the
 * test), the stage saved and loaded, and each Param's value and set/default state compared.
 */
final class ParamsRoundTrip {
    private ParamsRoundTrip() {
    }

    static <T extends Params & MLWritable> T check(T stage, Path dir, Function<String, T> load) {
        for (Param<?> p : stage.params()) {
            assertTrue(stage.isSet(p), stage.getClass().getSimpleName() + ": the test sets every Param, not " + p.name());
        }
        String path = dir.resolve(stage.uid()).toString();
        try {
            stage.write().overwrite().save(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        T loaded = load.apply(path);
        assertEquals(stage.uid(), loaded.uid());
        assertEquals(stage.params().length, loaded.params().length);
        for (Param<?> p : stage.params()) {
            Param<Object> q = loaded.getParam(p.name());
            assertEquals(stage.isSet(p), loaded.isSet(q), p.name());
            assertEquals(render(stage.getOrDefault(p)), render(loaded.getOrDefault(q)), p.name());
        }
        return loaded;
    }

    private static String render(Object v) {
        if (v instanceof int[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof double[] a) {
            return Arrays.toString(a);
        }
        return v.getClass().getSimpleName() + " " + v;
    }
}
