package dev.sparktrain.config;

import dev.sparktrain.optim.HyperParamException;
import dev.sparktrain.optim.OptimizerSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every config record built from Java with a bad value fails as the config file with that value does:
 * the same exception, the same message (key, rule and value found).
 */
class ConfigRecordsTest {
    private static final JobConfig DEFAULTS = ConfigLoader.parse("", List.of());

    static Stream<Arguments> badValues() {
        TrainConfig t = DEFAULTS.train();
        OutputConfig o = DEFAULTS.output();
        EarlyStoppingConfig e = DEFAULTS.earlyStopping();
        ExperimentConfig x = DEFAULTS.experiment();
        ModelConfig m = DEFAULTS.model();
        DataConfig d = DEFAULTS.data();
        return Stream.of(
                bad(List.of("train.epochs=0"), () -> with(t, "epochs", 0)),
                bad(List.of("train.batch-size=-3"), () -> with(t, "batchSize", -3)),
                bad(List.of("train.workers=5000"), () -> with(t, "workers", 5000)),
                bad(List.of("train.averaging-frequency=0"), () -> with(t, "averagingFrequency", 0)),
                bad(List.of("train.threads-per-worker=-1"), () -> with(t, "threadsPerWorker", -1)),
                bad(List.of("train.aggregation=sum"), () -> with(t, "aggregation", "sum")),
                bad(List.of("output.dir=\"\""), () -> new OutputConfig("", 1, 3)),
                bad(List.of("checkpoint.keep=0"), () -> with(o, "checkpointKeep", 0)),
                bad(List.of("checkpoint.every-epochs=-1"), () -> with(o, "checkpointEveryEpochs", -1)),
                bad(List.of("output.run-id=\"day 1\""), () -> with(o, "runId", "day 1")),
                bad(List.of("output.run-id=-x"), () -> with(o, "runId", "-x")),
                bad(List.of("train.init=\" \""), () -> with(x, "init", " ")),
                bad(List.of("train.init-optimizer=true"), () -> with(x, "initOptimizer", true)),
                bad(List.of("promote.metric=f1"), () -> with(x, "promoteMetric", "f1")),
                bad(List.of("promote.min-delta=-0.01"), () -> with(x, "promoteMinDelta", -0.01)),
                bad(List.of("lock.stale-after=0s"), () -> with(x, "lockStaleAfter", java.time.Duration.ZERO)),
                bad(List.of("lock.stale-after=45s"), () -> with(x, "lockStaleAfter", java.time.Duration.ofSeconds(45))),
                bad(List.of("lock.heartbeat=10ms"), () -> with(x, "lockHeartbeat", java.time.Duration.ofMillis(10))),
                bad(List.of("predict.batch-size=0"), () -> with(DEFAULTS.predict(), "batchSize", 0)),
                bad(List.of("predict.keep-columns=[\"\"]"), () -> with(DEFAULTS.predict(), "keepColumns",
                        List.of(""))),
                bad(List.of("early-stopping.monitor=acc"), () -> with(e, "monitor", "acc")),
                bad(List.of("early-stopping.patience=-1"), () -> with(e, "patience", -1)),
                bad(List.of("early-stopping.min-delta=-0.1"), () -> with(e, "minDelta", -0.1)),
                bad(List.of("scheduler.type=plateau", "scheduler.interval=step"),
                        () -> new SchedulerConfig(Map.of("type", "plateau"), true)),
                bad(List.of("model.type=vgg"), () -> with(m, "type", "vgg")),
                bad(List.of("model.dtype=float16"), () -> with(m, "dtype", "float16")),
                bad(List.of("model.hidden=[64, 0]"), () -> with(m, "hidden", List.of(64, 0))),
                bad(List.of("model.type=sequential"), () -> with(m, "type", "sequential")),
                bad(List.of("model.type=dl4j"), () -> with(m, "type", "dl4j")),
                bad(List.of("loss=hinges"), () -> with(m, "loss", Map.of("type", "hinges"))),
                bad(List.of("loss.type=cross_entropy", "loss.label_smoothing=2"),
                        () -> with(m, "loss", Map.of("type", "cross_entropy", "label_smoothing", 2))),
                bad(List.of("data.format=\"my format\""), () -> with(d, "format", "my format")),
                bad(List.of("data.format=table"), () -> with(d, "format", "table")),
                bad(List.of("data.format=csv"),
                        () -> with(d, "format", "csv", "train", DataConfig.DataSource.files("data.train", 0, ""))),
                bad(List.of("data.train.images=\"\""), () -> with(d, "train", with(d.train(), "images", ""))),
                bad(List.of("data.val.limit=-5"), () -> with(d.val(), "limit", -5)),
                bad(List.of("data.val-fraction=1"), () -> with(d, "valFraction", 1.0)),
                bad(List.of("data.classes=0"), () -> with(d, "classes", 0)),
                bad(List.of("data.labels=soft"), () -> with(d, "labels", "soft")),
                bad(List.of("data.storage=disk"), () -> with(d, "storage", "disk")),
                bad(List.of("data.num-workers=2000"), () -> with(d, "numWorkers", 2000)),
                bad(List.of("data.csv.label=\"\""), () -> with(d.csv(), "label", "")),
                bad(List.of("data.image.channels=5"), () -> with(d.image(), "channels", 5)),
                bad(List.of("data.image.width=0"), () -> with(d.image(), "width", 0)),
                bad(List.of("data.table.label-column=\" \""), () -> with(d.table(), "labelColumn", " ")),
                bad(List.of("data.transforms.std=[0]"), () -> with(d.transforms(), "std", new double[]{0})),
                bad(List.of("data.transforms.mean=[0.5]", "data.transforms.std=[-1]"),
                        () -> new DataConfig.Transforms(1, new double[]{0.5}, new double[]{-1}, false, false, 0)),
                bad(List.of("data.transforms.normalize-from-train=true", "data.transforms.mean=[0.5]",
                        "data.transforms.std=[1]"),
                        () -> new DataConfig.Transforms(1, new double[]{0.5}, new double[]{1}, true, false, 0)),
                bad(List.of("data.transforms.crop-padding=-2"), () -> with(d.transforms(), "cropPadding", -2)),
                bad(List.of("data.transforms.scale=1e12"), () -> with(d.transforms(), "scale", 1e12)));
    }

    private static Arguments bad(List<String> overrides, Executable java) {
        return Arguments.of(String.join(", ", overrides), overrides, java);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aRecordBuiltFromJavaFailsWithTheConfigFilesMessage(String name, List<String> overrides, Executable java) {
        String fromFile = assertThrows(ConfigException.class, () -> ConfigLoader.parse("", overrides)).getMessage();
        String fromJava = assertThrows(ConfigException.class, java).getMessage();
        assertEquals(fromFile, fromJava);
    }

    @Test
    void recordsBuiltFromJavaWithTheFilesValuesEqualTheFilesRecords() {
        for (Record r : List.of(DEFAULTS.train(), DEFAULTS.output(), DEFAULTS.experiment(), DEFAULTS.earlyStopping(),
                DEFAULTS.model(),
                DEFAULTS.scheduler(), DEFAULTS.data(), DEFAULTS.data().train(), DEFAULTS.data().image())) {
            RecordComponent first = r.getClass().getRecordComponents()[0];
            assertEquals(r, with(r, first.getName(), get(r, first)), r.getClass().getSimpleName());
        }
        assertEquals(DEFAULTS.model(), new ModelConfig("LeNet", List.of(256, 128), "Float32"),
                "names are lower-cased as the file's are");
    }

    @Test
    void anOptimizerBuiltFromJavaFailsWithTorchsMessageAsTheFileDoes() {
        for (String[] c : new String[][]{{"momentum", "-1"}, {"weight_decay", "-0.5"}, {"lr", "-1"}}) {
            String key = c[0].replace('_', '-');
            String fromFile = assertThrows(ConfigException.class, () -> ConfigLoader.parse("",
                    List.of("optimizer.type=sgd", "optimizer." + key + "=" + c[1]))).getMessage();
            double v = Double.parseDouble(c[1]);
            Executable build = c[0].equals("lr") ? () -> OptimizerSpec.of("sgd", v, Map.of())
                    : () -> OptimizerSpec.of("sgd", 0.01, Map.of(c[0], v));
            HyperParamException fromJava = assertThrows(HyperParamException.class, build);
            assertEquals(c[0], fromJava.param());
            assertEquals(fromJava.getMessage() + " (conf key optimizer." + key + ")", fromFile);
            assertTrue(fromFile.contains(String.valueOf(v)), fromFile);
        }
    }

    /** A copy of {@code r} with components changed (name, value, ...), through its canonical constructor. */
    @SuppressWarnings("unchecked")
    static <R extends Record> R with(R r, Object... changes) {
        RecordComponent[] cs = r.getClass().getRecordComponents();
        Object[] args = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            args[i] = get(r, cs[i]);
        }
        for (int c = 0; c < changes.length; c += 2) {
            int i = 0;
            while (i < cs.length && !cs[i].getName().equals(changes[c])) {
                i++;
            }
            assertTrue(i < cs.length, r.getClass().getSimpleName() + " has no component " + changes[c]);
            args[i] = changes[c + 1];
        }
        try {
            Constructor<?> ctor = r.getClass().getDeclaredConstructor(
                    Arrays.stream(cs).map(RecordComponent::getType).toArray(Class<?>[]::new));
            ctor.setAccessible(true);
            return (R) ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object get(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
