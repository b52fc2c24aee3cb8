package dev.sparktrain.config;

import dev.sparktrain.optim.OptimizerSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static JobConfig withOverrides(String... overrides) {
        return ConfigLoader.parse("", List.of(overrides));
    }

    private static String failure(String... overrides) {
        return assertThrows(ConfigException.class, () -> withOverrides(overrides)).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        JobConfig c = withOverrides();
        String fmnist = "file:///usr/share/datasets/fashion-mnist/";
        assertEquals(DataConfig.DataSource.idx("data.train", fmnist + "train-images-idx3-ubyte.gz",
                fmnist + "train-labels-idx1-ubyte.gz", 0), c.data().train());
        assertEquals(DataConfig.DataSource.idx("data.val", fmnist + "t10k-images-idx3-ubyte.gz",
                fmnist + "t10k-labels-idx1-ubyte.gz", 0), c.data().val());
        assertEquals(10, c.data().classes());
        assertFalse(c.data().dropLast());
        assertEquals(0, c.data().numWorkers(), "data.num-workers: load in the training thread");
        assertEquals(3, withOverrides("data.num-workers=3").data().numWorkers());
        assertEquals(new ModelConfig("lenet", List.of(256, 128), "float32"), c.model());
        assertEquals(new TrainConfig(5, 64, 2, 4, 42, false, 0, "tree", "auto", 0, "auto",
                java.time.Duration.ofMinutes(2)), c.train());
        assertEquals(OptimizerSpec.adam(0.001, 0.9, 0.999, 1e-8, 0), c.optimizer());
        assertEquals(new OutputConfig("runs/fashion-mnist-lenet", "", "", 1, 3), c.output());
        assertEquals(new ExperimentConfig("scratch", false, false, "val_accuracy", 0, false,
                java.time.Duration.ofSeconds(90), java.time.Duration.ofSeconds(30), ""), c.experiment());
        assertEquals(new SparkConfig("local[*]", "sparktrain"), c.spark());
    }

    @Test
    void eachRunCheckpointsInItsOwnDirectory() {
        assertEquals("hdfs:///e/runs/r1/checkpoints", withOverrides().output().checkpointDir("r1", "hdfs:///e/runs/r1"));
        assertEquals("/elsewhere/r1", withOverrides("checkpoint.dir=\"/elsewhere/\"").output()
                .checkpointDir("r1", "/e/runs/r1"));
    }

    @Test
    void overridesReplaceDefaultsAndTheLastOneWins() {
        JobConfig c = withOverrides("train.epochs=3", "data.train.images=file:///tmp/x.gz",
                "optimizer.betas=[0.8, 0.99]", "train.workers = 4", "train.workers=5");
        assertEquals(3, c.train().epochs());
        assertEquals("file:///tmp/x.gz", c.data().train().images());
        assertArrayEquals(new double[]{0.8, 0.99}, c.optimizer().defaults().pair("betas"));
        assertEquals(5, c.train().workers());
        assertEquals(64, c.train().batchSize(), "untouched keys keep their defaults");
    }

    @Test
    void unquotedOverrideValuesAreTakenWholeEvenWithCommentCharacters() {
        assertEquals("/tmp/a//b", withOverrides("output.dir=/tmp/a//b").output().dir());
        assertEquals("run#3", withOverrides("spark.app-name=run#3").spark().appName());
        assertEquals("run # 3", withOverrides("spark.app-name=\"run # 3\"").spark().appName(), "quoted HOCON string");
        assertEquals("runs/x y", withOverrides("output.dir=runs/x y").output().dir());
    }

    @Test
    void valuesOfTheWrongShapeAreConfigErrorsNamingTheKey() {
        assertContains(failure("model.hidden=abc"), "model.hidden");
        assertContains(failure("model.hidden=[0]"), "model.hidden", "[0]");
        assertContains(failure("train=3"), "train");
    }

    @Test
    void aConfigFileIsLayeredBetweenDefaultsAndOverrides(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("job.conf");
        Files.writeString(file, "train { epochs = 7, batch-size = 16 }\noptimizer.type = sgd\noptimizer.momentum = 0.9\n");
        JobConfig c = ConfigLoader.load(file, List.of("train.epochs=2"));
        assertEquals(2, c.train().epochs());
        assertEquals(16, c.train().batchSize());
        assertEquals(OptimizerSpec.sgd(0.001, 0.9, false, 0), c.optimizer());
    }

    @Test
    void aMissingConfigFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, List.of()));
        assertContains(e.getMessage(), "not found", missing.toString());
    }

    @Test
    void anUnknownKeyIsNamedWithTheClosestKnownKey() {
        assertContains(failure("train.epoch = 3"), "'train.epoch'", "did you mean 'train.epochs'");
    }

    @Test
    void anUnknownKeyInAFileIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("job.conf");
        Files.writeString(file, "optimizer { learning-rate = 0.1 }\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of()));
        assertContains(e.getMessage(), "'optimizer.learning-rate'", "job.conf");
    }

    @Test
    void anOverrideWithoutEqualsSignIsRejected() {
        assertContains(failure("train.epochs"), "key=value", "'train.epochs'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "train.batch-size=0        | train.batch-size        | 0",
            "train.workers=-1          | train.workers           | -1",
            "train.epochs=abc          | train.epochs            | abc",
            "train.epochs=2.5          | train.epochs            | 2.5",
            "optimizer.type=lamb       | optimizer.type          | 'lamb'",
            "model.type=vgg            | model.type              | 'vgg'",
            "model.dtype=float16       | model.dtype             | 'float16'",
            "checkpoint.every-epochs=-1| checkpoint.every-epochs | -1",
            "checkpoint.keep=0         | checkpoint.keep         | 0",
            "data.classes=0            | data.classes            | 0",
            "data.format=my format     | data.format             | 'my format'",
            "data.format=table         | data.table.name         | ''",
            "data.labels=soft          | data.labels             | 'soft'",
            "data.val-fraction=1       | data.val-fraction       | 1.0",
            "data.csv.delimiter=ab     | data.csv.delimiter      | 'ab'",
            "data.target=rank          | data.target             | 'rank'",
            "data.storage=disk         | data.storage            | 'disk'",
            "data.image.channels=5     | data.image.channels     | 5",
            "data.num-workers=-1       | data.num-workers        | -1",
            "data.num-workers=1.5      | data.num-workers        | 1.5",
            "data.num-workers=two      | data.num-workers        | two",
            "data.transforms.std=[0]   | data.transforms.std     | [0]",
            "data.format=csv           | data.train.path         | ''",
            "train.resume=maybe        | train.resume            | maybe",
            "early-stopping.monitor=acc | early-stopping.monitor | 'acc'",
            "early-stopping.patience=-1 | early-stopping.patience | -1",
            "early-stopping.min-delta=-0.1 | early-stopping.min-delta | -0.1",
            "optimizer.betas=[0.9]     | optimizer.betas         | [0.9]",
    })
    void aBadValueIsNamedWithItsKey(String override, String key, String value) {
        assertContains(failure(override), key, value);
    }

    @Test
    void pathsAreAStringOrAListAndSparkSqlSourcesTakeTheirNameAndOptions() {
        DataConfig d = withOverrides("data.format=parquet", "data.train.path=[\"hdfs:///a/day=1\", \"hdfs:///a/day=2\"]",
                "data.val.path=\"hdfs:///v/*.parquet\"", "data.table.options.mergeSchema=true").data();
        assertEquals(List.of("hdfs:///a/day=1", "hdfs:///a/day=2"), d.train().paths());
        assertEquals(List.of("hdfs:///v/*.parquet"), d.val().paths());
        assertTrue(d.sparkSql());
        assertEquals(java.util.Map.of("mergeSchema", "true"), d.table().options());
        DataConfig t = withOverrides("data.format=table", "data.table.name=db.events", "data.table.where=day > 3",
                "data.val-fraction=0.1").data();
        assertEquals("db.events", t.table().name());
        assertEquals("day > 3", t.table().where());
        assertFalse(withOverrides("data.format=csv", "data.train.path=a.csv", "data.val.path=b.csv").data().sparkSql());
        assertContains(failure("data.format=table", "data.table.name=t"), "data.table.val-where");
        assertContains(failure("data.format=csv", "data.train.path=[]"), "data.train.path", "[]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"memory-and-disk", "memory-and-disk-ser", "memory-only", "local-disk"})
    void everyStorageLevelIsAccepted(String storage) {
        assertEquals(storage, withOverrides("data.storage=" + storage).data().storage());
    }

    @Test
    void theDiabetesExampleConfigLoads() {
        JobConfig c = ConfigLoader.load(Path.of("../conf/diabetes-csv.conf"), List.of());
        assertEquals("csv", c.data().format());
        assertEquals(1, c.data().classes());
        assertTrue(c.data().valueTarget());
        assertEquals("Outcome", c.data().csv().label());
        assertEquals(0.2, c.data().valFraction());
    }

    @Test
    void theDefaultDataConfigIsIdxWithOneHotClassLabels() {
        DataConfig d = withOverrides().data();
        assertEquals("idx", d.format());
        assertEquals("one-hot", d.labels());
        assertFalse(d.valueTarget());
        assertTrue(d.transforms().identity());
        assertEquals("memory-and-disk", d.storage());
        assertEquals(0.0, d.valFraction());
    }

    @Test
    void optimizerChecksUsePyTorchsWording() {
        assertContains(failure("optimizer.lr=-0.1"), "Invalid learning rate: -0.1", "optimizer.lr");
        assertContains(failure("optimizer.betas=[0.9, 1.0]"), "Invalid beta parameter at index 1: 1.0", "optimizer.betas");
        assertContains(failure("optimizer.betas=[-0.1, 0.9]"), "Invalid beta parameter at index 0: -0.1");
        assertContains(failure("optimizer.weight-decay=-1"), "Invalid weight_decay value: -1.0");
        assertContains(failure("optimizer.type=sgd", "optimizer.nesterov=true"),
                "Nesterov momentum requires a momentum and zero dampening", "optimizer.nesterov");
        assertContains(failure("optimizer.type=sgd", "optimizer.nesterov=true", "optimizer.momentum=0.9",
                "optimizer.dampening=0.1"), "Nesterov momentum requires a momentum and zero dampening");
    }

    @Test
    void nesterovWithMomentumIsAccepted() {
        OptimizerSpec o = withOverrides("optimizer.type=sgd", "optimizer.nesterov=true", "optimizer.momentum=0.9",
                "optimizer.lr=0.1").optimizer();
        assertEquals(OptimizerSpec.sgd(0.1, 0.9, true, 0), o);
    }

    @Test
    void choicesAreCaseInsensitive() {
        JobConfig c = withOverrides("optimizer.type=SGD", "model.type=Mlp", "model.hidden=[32]");
        assertEquals("sgd", c.optimizer().type());
        assertEquals(new ModelConfig("mlp", List.of(32), "float32"), c.model());
    }

    @Test
    void theResolvedConfigRendersAsJsonWithEveryKey() {
        String json = withOverrides("train.epochs=3").renderJson();
        assertContains(json, "\"epochs\" : 3", "\"averaging-frequency\" : 4");
        assertArrayEquals(new double[]{0.8, 0.999}, withOverrides("optimizer.betas=[0.8, 0.999]").resolved()
                .getDoubleList("optimizer.betas").stream().mapToDouble(d -> d).toArray());
    }

    @Test
    void anOptimizerTakesItsOwnHyperParametersOnly() {
        assertContains(failure("optimizer.type=adam", "optimizer.momentum=0.9"), "'optimizer.momentum'",
                "optimizer adam takes lr, betas, eps, weight-decay, amsgrad, maximize");
        OptimizerSpec nadam = withOverrides("optimizer.type=nadam", "optimizer.momentum-decay=0.01",
                "optimizer.lr=0.002").optimizer();
        assertEquals(0.01, nadam.defaults().number("momentum_decay"));
        assertArrayEquals(new double[]{0.9, 0.999}, nadam.defaults().pair("betas"), "torch's default betas");
        assertContains(failure("optimizer.type=nadam", "optimizer.momentum-decay=-1"),
                "Invalid momentum_decay value: -1.0", "conf key optimizer.momentum-decay");
        assertContains(failure("optimizer.type=radam", "optimizer.groups=[{layers = [fc1], momentum = 0.5}]"),
                "optimizer.groups[0] has unknown key 'momentum' for optimizer radam", "conf key optimizer.groups");
    }
}
