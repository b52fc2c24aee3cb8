package dev.sparktrain.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier as Spark ML uses it: in a Pipeline (VectorAssembler, StandardScaler) saved and
 * loaded in a fresh SparkSession with identical predictions, and under CrossValidator over two
 * learning rates.
 */
class SparkTrainClassifierTest {
    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @BeforeAll
    static void data() {
        spark = MlTestData.spark();
        train = MlTestData.classes(spark, 400, 3, 1).cache();
        test = MlTestData.classes(spark, 120, 3, 2).cache();
    }

    static SparkTrainClassifier classifier() {
        return new SparkTrainClassifier().setModel("mlp").setHiddenLayers(8).setEpochs(3).setBatchSize(16)
                .setWorkers(2).setAveragingFrequency(1).setLearningRate(0.01).setSeed(7);
    }

    static String[] inputs() {
        String[] names = new String[MlTestData.FEATURES];
        for (int k = 0; k < names.length; k++) {
            names[k] = "x" + k;
        }
        return names;
    }

    @Test
    void aPipelineSavedAndLoadedInAFreshSessionPredictsIdentically() throws Exception {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{
                new VectorAssembler().setInputCols(inputs()).setOutputCol("raw"),
                new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
                classifier()});
        PipelineModel model = pipeline.fit(train);
        List<Row> before = model.transform(test).select("prediction", "probability", "rawPrediction").collectAsList();
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(test));
        System.out.printf(Locale.ROOT, "pipeline: test accuracy %.4f%n", accuracy);
        assertTrue(accuracy > 0.6, "3 separable classes: " + accuracy);

        String path = dir.resolve("pipeline-model").toString();
        model.write().overwrite().save(path);
        SparkSession fresh = spark.newSession();
        PipelineModel loaded = PipelineModel.read().session(fresh).load(path);
        Dataset<Row> freshTest = fresh.createDataFrame(test.collectAsList(), test.schema());
        List<Row> after = loaded.transform(freshTest).select("prediction", "probability", "rawPrediction").collectAsList();
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).getDouble(0), after.get(i).getDouble(0), "prediction of row " + i);
            assertArrayEquals(((Vector) before.get(i).get(1)).toArray(), ((Vector) after.get(i).get(1)).toArray(),
                    "probability of row " + i);
            assertArrayEquals(((Vector) before.get(i).get(2)).toArray(), ((Vector) after.get(i).get(2)).toArray(),
                    "rawPrediction of row " + i);
        }
        SparkTrainClassificationModel m = (SparkTrainClassificationModel) loaded.stages()[2];
        assertEquals(3, m.numClasses());
        assertEquals(MlTestData.FEATURES, m.numFeatures());

        // the unfitted pipeline saves and loads too, with the classifier's Params
        String unfitted = dir.resolve("pipeline").toString();
        pipeline.write().overwrite().save(unfitted);
        SparkTrainClassifier c = (SparkTrainClassifier) Pipeline.load(unfitted).getStages()[2];
        assertArrayEquals(new int[]{8}, c.getHiddenLayers());
        assertEquals(0.01, c.getLearningRate());
    }

    @Test
    void aCrossValidatorOverTwoLearningRatesPicksOneAndReportsBoth() {
        Dataset<Row> assembled = new VectorAssembler().setInputCols(inputs()).setOutputCol("raw").transform(train);
        Dataset<Row> scaled = new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true)
                .fit(assembled).transform(assembled).cache();
        // README:tuning-start
        SparkTrainClassifier clf = new SparkTrainClassifier().setHiddenLayers(8).setEpochs(2).setBatchSize(16)
                .setAveragingFrequency(1).setSeed(7);
        ParamMap[] grid = new ParamGridBuilder().addGrid(clf.learningRate(), new double[]{1e-4, 0.05}).build();
        CrossValidator cv = new CrossValidator().setEstimator(clf).setEstimatorParamMaps(grid).setNumFolds(2)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy")).setSeed(3);
        CrossValidatorModel cvModel = cv.fit(scaled);
        double[] accuracies = cvModel.avgMetrics();    // one per learning rate, in the grid's order
        SparkTrainClassificationModel best = (SparkTrainClassificationModel) cvModel.bestModel();
        // README:tuning-end
        System.out.printf(Locale.ROOT, "cross-validation accuracy: lr 1e-4 %.4f, lr 0.05 %.4f%n", accuracies[0],
                accuracies[1]);
        assertEquals(2, accuracies.length);
        for (double m : accuracies) {
            assertTrue(m >= 0 && m <= 1, "an accuracy: " + m);
        }
        assertEquals(accuracies[1] > accuracies[0] ? 0.05 : 1e-4, best.getLearningRate(), "the better learning rate");
        assertTrue(accuracies[1] > accuracies[0], "2 epochs at lr 1e-4 learn little: " + Arrays.toString(accuracies));
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

        SparkTrainClassificationModel m = classifier().setEpochs(1).fit(MlTestData.arrays(spark, 120, 4, 5));
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
        SparkTrainClassificationModel m = classifier().setLoss("bce_with_logits").setEpochs(2)
                .fit(MlTestData.arrays(spark, 200, 4, 6));
        assertEquals(2, m.numClasses());
        for (Row r : m.transform(MlTestData.arrays(spark, 20, 4, 7)).collectAsList()) {
            double[] raw = ((Vector) r.getAs("rawPrediction")).toArray();
            double[] p = ((Vector) r.getAs("probability")).toArray();
            assertEquals(-raw[0], raw[1], "a one-output network's o as [-o, o]");
            assertEquals(1 / (1 + Math.exp(-raw[1])), p[1], 1e-12, "sigmoid of the logit");
            assertEquals(1.0, p[0] + p[1], 1e-12);
            assertEquals(p[1] > 0.5 ? 1.0 : 0.0, r.<Double>getAs("prediction"));
        }
    }
}
