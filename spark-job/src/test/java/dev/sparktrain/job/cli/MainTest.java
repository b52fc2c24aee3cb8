package dev.sparktrain.job.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad configs stop the job before any work, with exit code 2 and a message naming key and value. */
class MainTest {
    @TempDir
    Path dir;

    private String runExpectingFailure(int expectedCode, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), args);
        assertEquals(expectedCode, code, err.toString());
        return err.toString();
    }

    @Test
    void gpuTrainingWithTheCpuJarIsAConfigErrorBeforeAnythingIsWritten() {
        dev.sparktrain.job.engine.SharedSpark.forCommandLine();
        String err = runExpectingFailure(2, "train", "--set", "train.device=gpu", "--set", "data.train.limit=100",
                "--set", "output.dir=\"" + dir.resolve("gpu").toUri() + "\"");
        assertEquals(1, err.trim().lines().count(), err);
        assertTrue(err.startsWith("config error: train.device = gpu, but this job jar's ND4J backend is the CPU one"),
                err);
        assertTrue(!Files.exists(dir.resolve("gpu/runs")), "nothing written");
    }

    @Test
    void unknownKeyIsRejectedWithASuggestion() {
        String err = runExpectingFailure(2, "train", "--set", "train.batchsize=32");
        assertTrue(err.contains("unknown config key 'train.batchsize'"), err);
        assertTrue(err.contains("did you mean 'train.batch-size'"), err);
    }

    @Test
    void badValueNamesKeyAndValue() {
        String err = runExpectingFailure(2, "train", "--set", "train.batch-size=0");
        assertTrue(err.contains("train.batch-size must be a positive integer, found 0"), err);
    }

    @Test
    void unknownKeyInAFileNamesTheFileAndLine() throws Exception {
        Path conf = dir.resolve("job.conf");
        Files.writeString(conf, "train {\n  epochs = 2\n  averaging = 4\n}\n");
        String err = runExpectingFailure(2, "train", conf.toString());
        assertTrue(err.contains("train.averaging") && err.contains("job.conf: 3"), err);
    }

    @Test
    void missingDataFileIsNamedAndIsAConfigError() {
        String[] args = syntheticJob("--set", "data.train.images=file:///nonexistent/x.gz",
                "--set", "output.dir=" + dir.resolve("missing").toUri());
        String err = runExpectingFailure(2, args);
        assertTrue(err.contains("config error: data file not found: file:///nonexistent/x.gz"), err);
        assertTrue(!Files.exists(dir.resolve("missing/runs")), "no run written");
        assertTrue(!Files.exists(dir.resolve("missing/lock")), "the lock released");
    }

    @Test
    void aParamGroupNamingAMissingLayerStopsTheJobBeforeTraining() {
        dev.sparktrain.data.IdxFiles.writeSynthetic(dir, "train", 40, 10, 1, true);
        String err = runExpectingFailure(2, "train", "--local",
                "--set", "data.train.images=" + dir.resolve("train-images-idx3-ubyte.gz").toUri(),
                "--set", "data.train.labels=" + dir.resolve("train-labels-idx1-ubyte.gz").toUri(),
                "--set", "data.val.images=" + dir.resolve("train-images-idx3-ubyte.gz").toUri(),
                "--set", "data.val.labels=" + dir.resolve("train-labels-idx1-ubyte.gz").toUri(),
                "--set", "optimizer.groups=[{layers = [fc1, head], lr = 0.01}]",
                "--set", "output.dir=" + dir.resolve("run").toUri());
        assertTrue(err.contains("optimizer.groups[0] names layer 'head', which does not exist")
                && err.contains("[conv1, conv2, fc1, fc2, fc3]"), err);
        assertTrue(!java.nio.file.Files.exists(dir.resolve("run/runs")), "nothing written");
    }

    @Test
    void anUnknownSchedulerArgumentIsNamed() {
        String err = runExpectingFailure(2, syntheticJob("--set", "scheduler.type=step",
                "--set", "scheduler.stepsize=3", "--set", "output.dir=" + dir.resolve("run2").toUri()));
        assertTrue(err.contains("stepsize") && err.contains("conf key scheduler"), err);
    }

    @Test
    void summaryPrintsTheTutorialNetWithItsParameterCount() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        int code;
        try {
            code = Main.run(new PrintWriter(new StringWriter(), true), "summary", "--input", "1x32x32",
                    "--set", "optimizer.frozen=[conv1]");
        } finally {
            System.setOut(before);
        }
        String text = out.toString();
        assertEquals(0, code, text);
        assertTrue(text.contains("(conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))")
                && text.contains("Total params: 61,706") && text.contains("Non-trainable params: 156"), text);
        String err = runExpectingFailure(2, "summary", "--input", "32x32");
        assertTrue(err.contains("CxHxW") && err.contains("'32x32'"), err);
    }

    private String[] syntheticJob(String... extra) {
        dev.sparktrain.data.IdxFiles.writeSynthetic(dir, "train", 200, 10, 1, true);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--local",
                "--set", "data.train.images=" + dir.resolve("train-images-idx3-ubyte.gz").toUri(),
                "--set", "data.train.labels=" + dir.resolve("train-labels-idx1-ubyte.gz").toUri(),
                "--set", "data.val.images=" + dir.resolve("train-images-idx3-ubyte.gz").toUri(),
                "--set", "data.val.labels=" + dir.resolve("train-labels-idx1-ubyte.gz").toUri(),
                "--set", "train.epochs=2", "--set", "output.dir=" + dir.resolve("seq").toUri(), "--run-id", "r"));
        args.addAll(java.util.Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void aSequentialModelFromTheConfigTrainsWithAndWithoutBatchNorm() throws Exception {
        String layers = "model.layers=[{type = conv2d, out_channels = 4, kernel_size = 3}, {type = relu},"
                + " {type = maxpool2d, kernel_size = 2}, {type = flatten}, {type = linear, out_features = 10}]";
        String withBn = layers.replace("{type = relu},", "{type = batchnorm}, {type = relu},");
        for (String model : List.of(layers, withBn)) {
            String out = model == layers ? "seq" : "seqbn";
            StringWriter err = new StringWriter();
            assertEquals(0, Main.run(new PrintWriter(err, true), syntheticJob("--set", "model.type=sequential",
                    "--set", model, "--set", "output.dir=" + dir.resolve(out).toUri())), err.toString());
            List<String> lines = Files.readAllLines(dir.resolve(out + "/runs/r/metrics.jsonl"));
            assertEquals(2, lines.size());
            double accuracy = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(1))
                    .get("val_accuracy").asDouble();
            assertTrue(accuracy > 0.5, out + ": the synthetic bars are easy: " + accuracy);
        }
    }

    @Test
    void earlyStoppingFromTheConfigStopsWhenTheMetricStallsWithACheckpointOfTheLastEpoch() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        int code;
        StringWriter err = new StringWriter();
        try {
            // lr 0: the validation loss never moves, so with patience 1 the run stops after epoch 2 of 6
            code = Main.run(new PrintWriter(err, true), syntheticJob("--set", "optimizer.lr=0", "--set", "train.epochs=6",
                    "--set", "early-stopping.patience=1", "--set", "output.dir=" + dir.resolve("es").toUri()));
        } finally {
            System.setOut(before);
        }
        assertEquals(0, code, err.toString());
        assertEquals(2, Files.readAllLines(dir.resolve("es/runs/r/metrics.jsonl")).size());
        assertEquals("epoch-000002", Files.readString(dir.resolve("es/runs/r/checkpoints/latest")).trim());
        assertTrue(out.toString().contains("stopped after epoch 2: early stopping: val_loss did not improve"),
                out.toString());
    }

    @Test
    void aDl4jConfigurationFromAFileTrainsAndAModelZipIsItsOwnStartingPoint() throws Exception {
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration
                .Builder().seed(3).updater(new org.nd4j.linalg.learning.config.Sgd(0.1)).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(784).nOut(16)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).nIn(16).nOut(10)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .build();
        Path json = dir.resolve("net.json");
        Files.writeString(json, conf.toJson());
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(err, true), syntheticJob("--set", "model.type=dl4j",
                "--set", "model.path=\"" + json.toUri() + "\"", "--set", "train.batch-size=8", "--set", "optimizer.lr=0.01",
                "--set", "output.dir=" + dir.resolve("dl4j").toUri())),
                err.toString());
        double accuracy = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Files.readAllLines(dir.resolve("dl4j/runs/r/metrics.jsonl")).get(1)).get("val_accuracy").asDouble();
        assertTrue(accuracy > 0.5, "the bars are easy: " + accuracy);
        // the trained model.zip as model.path: its parameters are the start (lr 0 keeps them)
        Path zip = dir.resolve("dl4j/runs/r/model.zip");
        assertEquals(0, Main.run(new PrintWriter(err, true), syntheticJob("--set", "model.type=dl4j",
                "--set", "model.path=\"" + zip.toUri() + "\"", "--set", "optimizer.lr=0",
                "--set", "output.dir=" + dir.resolve("warm").toUri())), err.toString());
        var before = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(zip.toFile()).params();
        var after = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(
                dir.resolve("warm/runs/r/model.zip").toFile()).params();
        assertEquals(before, after);
        String bad = runExpectingFailure(2, "train", "--local", "--set", "model.type=dl4j");
        assertTrue(bad.contains("model.path") && bad.contains("model.type = dl4j"), bad);
    }
}
