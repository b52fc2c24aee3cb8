package dev.sparktrain.job.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.data.IdxFiles;
import dev.sparktrain.data.format.IdxReader;
import dev.sparktrain.job.cli.Main;
import dev.sparktrain.model.Sequential;
import dev.sparktrain.run.TrainingResult;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.TrainingListener;
import dev.sparktrain.train.TrainingSnapshot;
import dev.sparktrain.trainer.Trainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java API as a Spark application uses it: a {@code Dataset<Row>} and a {@code JavaRDD<DataSet>}
 * train exactly as the same rows in files through the command line; a listener stops a run cleanly;
 * DL4J's own LeNet configuration trains from DataSets, as a dl4j-spark program would feed it.
 */
class TrainerApiTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    private static final int ROWS = 480;

    @TempDir
    static Path dir;
    private static float[][] features;
    private static int[] labels;
    private static String cliMetrics;
    private static JavaSparkContext sc;

    /** Two noisy classes in 6 features; the same values go to the CSV, the DataFrame and the DataSets. */
    @BeforeAll
    static void dataAndTheCommandLineRun() throws Exception {
        Random r = new Random(5);
        features = new float[ROWS][6];
        labels = new int[ROWS];
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            labels[i] = r.nextInt(2);
            for (int k = 0; k < 6; k++) {
                features[i][k] = (float) ((k % 2 == labels[i] ? 1 : 0) + 0.6 * r.nextGaussian());
                csv.append(Float.toString(features[i][k])).append(',');
            }
            csv.append(labels[i]).append('\n');
        }
        Files.writeString(dir.resolve("rows.csv"), csv);
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("train", "--set", "data.format=csv",
                "--set", "data.train.path=\"" + dir.resolve("rows.csv").toUri() + "\"",
                "--set", "output.dir=\"" + dir.resolve("cli").toUri() + "\"", "--set", "spark.master=local[2]",
                "--run-id", "cli"));
        for (String s : common()) {
            args.addAll(List.of("--set", s));
        }
        assertEquals(0, Main.run(new PrintWriter(err, true), args.toArray(String[]::new)), err.toString());
        cliMetrics = Files.readString(dir.resolve("cli/runs/cli/metrics.jsonl"));
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("trainer-api")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static List<String> common() {
        return List.of("data.classes=2", "data.val-fraction=0.25", "model.type=mlp", "model.hidden=[8]",
                "train.epochs=3", "train.batch-size=16", "train.workers=2", "train.averaging-frequency=1",
                "optimizer.lr=0.01", "train.seed=11");
    }

    /** A trainer with the CLI run's settings, built from Java. */
    private static Trainer.Builder api(String out) {
        Trainer.Builder b = Trainer.builder().backend(SparkBackend.of(sc)).console(QUIET)
                .set("output.dir", dir.resolve(out).toUri().toString());
        for (String s : common()) {
            String[] kv = s.split("=", 2);
            b.set(kv[0], kv[1].startsWith("[") ? List.of(8) : kv[1]);
        }
        return b;
    }

    /** The directory of the run that gave {@code r}. */
    static Path runDir(TrainingResult r) {
        return Path.of(java.net.URI.create(r.modelLocation())).getParent();
    }

    /** The figures of every epoch but the timings, as one comparable string. */
    private static String outcome(List<EpochMetrics> history) {
        StringBuilder s = new StringBuilder();
        for (EpochMetrics m : history) {
            s.append(String.format(Locale.ROOT, "%d %d %.12g %d %.12g %.12g %d%n", m.epoch(), m.step(), m.trainLoss(),
                    m.trainExamples(), m.valLoss(), m.valAccuracy(), m.valExamples()));
        }
        return s.toString();
    }

    private static String outcome(String metricsJsonl) throws Exception {
        List<EpochMetrics> h = new ArrayList<>();
        for (String line : metricsJsonl.split("\n")) {
            h.add(new ObjectMapper().readValue(line, EpochMetrics.class));
        }
        return outcome(h);
    }

    @Test
    void aDataFrameAndAnRddOfDataSetsTrainExactlyAsTheSameRowsThroughTheCommandLine() throws Exception {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(RowFactory.create(features[i], labels[i]));
        }
        org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, new StructType()
                .add("x", DataTypes.createArrayType(DataTypes.FloatType)).add("y", DataTypes.IntegerType))
                .repartition(3);
        TrainingResult fromFrame = api("frame").build().fit(SparkInputs.frame(df, "x", "y"));

        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < ROWS; from += 32) {
            int n = Math.min(32, ROWS - from);
            float[][] x = new float[n][];
            float[][] y = new float[n][2];
            for (int i = 0; i < n; i++) {
                x[i] = features[from + i];
                y[i][labels[from + i]] = 1;
            }
            batches.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
        }
        JavaRDD<DataSet> rdd = sc.parallelize(batches, 4);
        TrainingResult fromRdd = api("rdd").build().fit(SparkInputs.dataSets(rdd));

        String expected = outcome(cliMetrics);
        System.out.print("command line:\n" + expected);
        assertEquals(3, fromFrame.history().size());
        assertEquals(expected, outcome(fromFrame.history()), "Dataset<Row>");
        assertEquals(expected, outcome(fromRdd.history()), "JavaRDD<DataSet>");
        assertArrayEquals(fromFrame.params().toFloatVector(), fromRdd.params().toFloatVector());
        assertTrue(fromFrame.history().get(2).valAccuracy() > 0.8, expected);
        assertEquals(outcome(Files.readString(runDir(fromFrame).resolve("metrics.jsonl"))), expected,
                "its run directory");
    }

    @Test
    void aListenerThatStopsAtEpochTwoLeavesAConsistentCheckpoint() throws Exception {
        List<Integer> seen = new ArrayList<>();
        TrainingListener stopAt2 = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEvent event) {
                seen.add(event.metrics().epoch());
                if (event.metrics().epoch() == 2) {
                    event.stop("two epochs are enough");
                }
            }
        };
        TrainingResult r = api("stopped").set("train.epochs", 5).set("data.format", "csv")
                .set("data.train.path", dir.resolve("rows.csv").toUri().toString()).listener(stopAt2).build().fit();
        assertEquals(List.of(1, 2), seen);
        assertEquals(2, r.snapshot().epochsDone());
        assertEquals("two epochs are enough", r.stopReason());
        TrainingSnapshot saved = new CheckpointStore(runDir(r).resolve("checkpoints").toUri().toString(), 3)
                .loadLatest().orElseThrow();
        assertEquals(2, saved.epochsDone());
        assertArrayEquals(r.params().toFloatVector(), saved.params().toFloatVector(), "the checkpoint holds the end");
        assertEquals(outcome(r.history()), outcome(saved.history()));
        assertEquals(2, Files.readAllLines(runDir(r).resolve("metrics.jsonl")).size());
        // and the result's model is the trained network
        assertArrayEquals(r.params().toFloatVector(), r.model().params().toFloatVector());
    }

    private static Trainer.Builder lenetTrainer(int epochs, String out) {
        return Trainer.builder().backend(SparkBackend.of(sc)).console(QUIET).optimizer("adam", 1e-3).epochs(epochs)
                .batchSize(16).workers(2).averagingFrequency(4).set("data.val-fraction", 0.2)
                .set("output.dir", dir.resolve(out).toUri().toString());
    }

    @Test
    void dl4jsOwnLenetConfigurationTrainsFromAnRddOfDataSets() throws Exception {
        // what a dl4j-spark program builds: LeNet with DL4J's Adam updater, fed DataSets of 28x28 images
        MultiLayerConfiguration lenet = new NeuralNetConfiguration.Builder().seed(12345).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).stride(1, 1).nOut(20).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(50).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(100).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
        IdxFiles.writeSynthetic(dir, "digits", 600, 10, 3, true);
        var images = IdxReader.read(dir.resolve(IdxFiles.imagesName("digits", true)).toUri().toString(),
                dir.resolve(IdxFiles.labelsName("digits", true)).toUri().toString(), 0, 10);
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < images.size(); from += 50) {
            int[] idx = java.util.stream.IntStream.range(from, from + 50).toArray();
            batches.add(images.batch(idx, 10, org.nd4j.linalg.api.buffer.DataType.FLOAT));
        }
        JavaRDD<DataSet> rdd = sc.parallelize(batches, 3);
        TrainingResult r = lenetTrainer(3, "lenet").model(lenet).build().fit(SparkInputs.dataSets(rdd));
        // the same configuration as JSON in a file (model.type = dl4j, model.path): the same first epoch
        Path json = Files.writeString(dir.resolve("lenet.json"), lenet.toJson());
        TrainingResult fromJson = lenetTrainer(1, "lenet-json").dl4jModel(json.toUri().toString()).build()
                .fit(SparkInputs.dataSets(rdd));
        assertEquals(outcome(r.history().subList(0, 1)), outcome(fromJson.history()), "the JSON trains the same");
        System.out.printf("DL4J LeNet configuration from an RDD of DataSets: val accuracy %.3f%n",
                r.history().get(2).valAccuracy());
        assertTrue(r.history().get(2).valAccuracy() > 0.9, "bars are easy: " + r.history());
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(runDir(r).resolve("model.zip").toFile());
        assertEquals(520 + 25_050 + 80_100 + 1_010, saved.numParams(), "DL4J's LeNet as configured");
        assertTrue(saved.getLayer(0).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b
                && b.getIUpdater() instanceof NoOp, "DL4J's updater is replaced: sparktrain's Adam steps");
    }
}
