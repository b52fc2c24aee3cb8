package dev.sparktrain.ml;

import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each stage on its own (the classifier in a Pipeline and under CrossValidator:
 * {@link PipelineExampleTest}): the regressor fit, scoring and saved with the same predictions after
 * loading; every Param of the four stages through save and load, as Spark's DefaultReadWriteTest
 * checks its own; a one-output classifier's two-class probabilities.
 */
class SparkTrainStagesTest {
    @TempDir
    static Path dir;
    private static SparkSession spark;

    @BeforeAll
    static void session() {
        spark = MlTestData.spark();
    }

    static SparkTrainClassifier classifier() {
        return new SparkTrainClassifier().setModel("mlp").setHiddenLayers(8).setEpochs(3).setBatchSize(16)
                .setWorkers(2).setAveragingFrequency(1).setLearningRate(0.01).setSeed(7);
    }

    @Test
    void aFittedRegressorPredictsTheSameAfterSaveAndLoad() throws Exception {
        Dataset<Row> train = MlTestData.regression(spark, 400, 1);
        Dataset<Row> test = MlTestData.regression(spark, 100, 2);
        SparkTrainRegressionModel model = new SparkTrainRegressor().setLabelCol("y").setHiddenLayers(16).setEpochs(3)
                .setBatchSize(16).setAveragingFrequency(1).setLearningRate(0.01).setSeed(3)
                .setOutputDir(dir.resolve("experiment").toUri().toString()).fit(train);
        try (var runs = java.nio.file.Files.list(dir.resolve("experiment/runs"))) {
            Path run = runs.findFirst().orElseThrow();
            assertTrue(run.getFileName().toString().startsWith("fit-"), "a run of the experiment: " + run);
            assertTrue(java.nio.file.Files.isRegularFile(run.resolve("model.zip")), "kept: " + run);
        }
        Dataset<Row> scored = model.transform(test);
        double rmse = new RegressionEvaluator().setLabelCol("y").setMetricName("rmse").evaluate(scored);
        double std = Math.sqrt(test.selectExpr("var_pop(y)").first().getDouble(0));
        System.out.printf(Locale.ROOT, "regressor: test rmse %.4f (the label's std %.4f)%n", rmse, std);
        assertTrue(rmse < 0.5 * std, "y = 2 x0 - x1 + 0.5 is learnt: rmse " + rmse + ", std " + std);

        String path = dir.resolve("regressor").toString();
        model.write().overwrite().save(path);
        SparkTrainRegressionModel loaded = SparkTrainRegressionModel.read().session(spark.newSession()).load(path);
        List<Row> before = scored.select("prediction").collectAsList();
        List<Row> after = loaded.transform(test).select("prediction").collectAsList();
        assertEquals(before, after);
        assertEquals(4, loaded.numFeatures());
        Row first = test.first();
        assertEquals(before.get(0).getDouble(0), loaded.predict(Vectors.dense(
                (double[]) first.getList(0).stream().mapToDouble(v -> (Double) v).toArray())), 0.0,
                "predict(Vector) on the driver gives the transform's value");
    }

    @Test
    void everyParamOfTheRegressorAndItsModelRoundTripsThroughSaveAndLoad() {
        SparkTrainRegressor r = new SparkTrainRegressor().setConfig("scheduler { type = step, step_size = 2 }")
                .setModel("hdfs:///models/dl4j.json").setHiddenLayers(4).setLoss("smooth_l1")
                .setOptimizer("adamw").setLearningRate(0.3).setEpochs(2).setBatchSize(5).setWorkers(4)
                .setAveragingFrequency(3).setSeed(-1).setValidationFraction(0).setOutputDir("runs/r")
                .setFeaturesCol("f").setLabelCol("l").setPredictionCol("p");
        ParamsRoundTrip.check(r, dir, SparkTrainRegressor::load);

        SparkTrainRegressionModel m = new SparkTrainRegressor().setLabelCol("y").setHiddenLayers(4).setEpochs(1)
                .fit(MlTestData.regression(spark, 100, 3));
        m.set(m.config(), "data { drop-last = true }").set(m.model(), "mlp").set(m.loss(), "l1")
                .set(m.optimizer(), "sgd").set(m.learningRate(), 0.5).set(m.epochs(), 4).set(m.batchSize(), 3)
                .set(m.workers(), 5).set(m.averagingFrequency(), 6).set(m.seed(), 8L).set(m.validationFraction(), 0.5)
                .set(m.outputDir(), "file:///tmp/x").set(m.labelCol(), "l");
        m.setFeaturesCol("f").setPredictionCol("p");
        SparkTrainRegressionModel loaded = ParamsRoundTrip.check(m, dir, SparkTrainRegressionModel::load);
        assertArrayEquals(m.modelZip(), loaded.modelZip(), "data/model.zip");
    }

    @Test
    void everyParamOfTheClassifierAndItsModelRoundTripsThroughSaveAndLoad() {
        SparkTrainClassifier c = new SparkTrainClassifier().setConfig("early-stopping { patience = 2 }")
                .setModel("sequential").setHiddenLayers(5, 3).setLoss("{ type = cross_entropy, label_smoothing = 0.1 }")
                .setOptimizer("{ type = sgd, momentum = 0.9 }").setLearningRate(0.2).setEpochs(7).setBatchSize(9)
                .setWorkers(3).setAveragingFrequency(2).setSeed(99).setValidationFraction(0.25)
                .setOutputDir("hdfs:///experiments/x").setClasses(4).setFeaturesCol("f").setLabelCol("l")
                .setPredictionCol("p").setRawPredictionCol("r").setProbabilityCol("pr")
                .setThresholds(new double[]{0.1, 0.2, 0.3, 0.4});
        ParamsRoundTrip.check(c, dir, SparkTrainClassifier::load);

        SparkTrainClassificationModel m = classifier().setEpochs(1).setValidationFraction(0)  // validated on its rows
                .fit(MlTestData.arrays(spark, 120, 4, 5));
        m.set(m.config(), "data { drop-last = true }").set(m.model(), "{\"a DL4J\": \"configuration\"}")
                .set(m.loss(), "nll").set(m.optimizer(), "rmsprop").set(m.epochs(), 4).set(m.batchSize(), 3)
                .set(m.workers(), 5).set(m.averagingFrequency(), 6).set(m.validationFraction(), 0.5)
                .set(m.outputDir(), "file:///tmp/x");
        m.setFeaturesCol("f").setPredictionCol("p").setRawPredictionCol("r").setProbabilityCol("pr")
                .setThresholds(new double[]{0.4, 0.6}).set(m.labelCol(), "l");
        SparkTrainClassificationModel loaded = ParamsRoundTrip.check(m, dir, SparkTrainClassificationModel::load);
        assertArrayEquals(m.modelZip(), loaded.modelZip(), "data/model.zip");
        assertEquals(m.numFeatures(), loaded.numFeatures());
        assertEquals(m.numClasses(), loaded.numClasses());
    }

    @Test
    void aOneOutputBinaryCrossEntropyModelGivesTwoClassProbabilities() {
        SparkTrainClassificationModel m = classifier().setLoss("{ type = bce_with_logits }")
                .setOptimizer("{ type = sgd, momentum = 0.9 }").setLearningRate(0.1).setEpochs(2)
                .fit(MlTestData.arrays(spark, 200, 4, 6));
        assertEquals(2, m.numClasses());
        int right = 0;
        for (Row r : m.transform(MlTestData.arrays(spark, 20, 4, 7)).collectAsList()) {
            double[] raw = ((Vector) r.getAs("rawPrediction")).toArray();
            double[] p = ((Vector) r.getAs("probability")).toArray();
            assertEquals(-raw[0], raw[1], "a one-output network's o as [-o, o]");
            assertEquals(1 / (1 + Math.exp(-raw[1])), p[1], 1e-12, "sigmoid of the logit");
            assertEquals(1.0, p[0] + p[1], 1e-12);
            assertEquals(p[1] > 0.5 ? 1.0 : 0.0, r.<Double>getAs("prediction"));
            right += r.<Double>getAs("prediction").intValue() == r.<Integer>getAs("label") ? 1 : 0;
        }
        assertTrue(right >= 14, "two separable classes: " + right + " of 20 right");
    }

    @Test
    void theConfigParamGivesWhatTheTypedParamsThatAreSetDoNot() {
        String hocon = "train { epochs = 9, batch-size = 7 }, optimizer { type = sgd, lr = 0.5, momentum = 0.9 }";
        com.typesafe.config.Config c = TrainerSettings.of(new SparkTrainClassifier().setConfig(hocon).setEpochs(3))
                .config().resolved();
        assertEquals(3, c.getInt("train.epochs"), "set: the Param");
        assertEquals(7, c.getInt("train.batch-size"), "not set: the config's");
        assertEquals("sgd", c.getString("optimizer.type"));
        assertEquals(0.5, c.getDouble("optimizer.lr"));
        assertEquals(0.9, c.getDouble("optimizer.momentum"));
        assertEquals("mlp", c.getString("model.type"), "not in the config: the Param's default");
        assertEquals(2, c.getInt("train.workers"), "defaults.conf's");

        c = TrainerSettings.of(new SparkTrainClassifier().setConfig(hocon).setLearningRate(0.2)).config().resolved();
        assertEquals(0.2, c.getDouble("optimizer.lr"), "learningRate set: the config's optimizer, this lr");
        assertEquals(0.9, c.getDouble("optimizer.momentum"));
        c = TrainerSettings.of(new SparkTrainClassifier().setConfig(hocon).setOptimizer("adamw")).config().resolved();
        assertEquals("adamw", c.getString("optimizer.type"), "the optimizer Param replaces the config's block");
        assertEquals(0.001, c.getDouble("optimizer.lr"), "with learningRate's default");
        assertTrue(!c.hasPath("optimizer.momentum"), "and none of its arguments");
    }
}
