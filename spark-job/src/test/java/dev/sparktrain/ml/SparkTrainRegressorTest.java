package dev.sparktrain.ml;

import org.apache.spark.ml.evaluation.RegressionEvaluator;
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

/** The regressor: fit on array features, transform, save and load with the same predictions; every Param saved. */
class SparkTrainRegressorTest {
    @TempDir
    static Path dir;
    private static SparkSession spark;

    @BeforeAll
    static void session() {
        spark = MlTestData.spark();
    }

    @Test
    void aFittedRegressorPredictsTheSameAfterSaveAndLoad() throws Exception {
        Dataset<Row> train = MlTestData.regression(spark, 400, 1);
        Dataset<Row> test = MlTestData.regression(spark, 100, 2);
        SparkTrainRegressionModel model = new SparkTrainRegressor().setLabelCol("y").setHiddenLayers(16).setEpochs(3)
                .setBatchSize(16).setAveragingFrequency(1).setLearningRate(0.01).setSeed(3).fit(train);
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
        assertEquals(before.get(0).getDouble(0), loaded.predict(org.apache.spark.ml.linalg.Vectors.dense(
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
}
