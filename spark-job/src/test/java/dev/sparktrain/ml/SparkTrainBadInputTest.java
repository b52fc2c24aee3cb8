package dev.sparktrain.ml;

import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bad input stops a fit or a transform with one line naming the column (or Param) and what it holds. */
class SparkTrainBadInputTest {
    private static SparkSession spark;
    private static Dataset<Row> sixFeatures;
    private static SparkTrainClassificationModel fitted;

    @BeforeAll
    static void data() {
        spark = MlTestData.spark();
        sixFeatures = MlTestData.arrays(spark, 160, 6, 1).cache();
        fitted = classifier().fit(sixFeatures);
    }

    private static SparkTrainClassifier classifier() {
        return new SparkTrainClassifier().setHiddenLayers(4).setEpochs(1).setBatchSize(16);
    }

    /** The message of what {@code run} throws (of its first cause sparktrain threw, through Spark's task failure). */
    private static String message(Class<? extends Throwable> type, Executable run) {
        Throwable t = assertThrows(Throwable.class, run);
        while (!type.isInstance(t) && t.getCause() != null) {
            t = t.getCause();
        }
        assertEquals(type, t.getClass(), "thrown: " + t);
        assertFalse(t.getMessage().contains("\n"), "one line: " + t.getMessage());
        return t.getMessage();
    }

    @Test
    void aMissingFeaturesColumnIsNamedWithTheColumnsThereAre() {
        assertEquals("featuresCol 'feats': no such column; the columns are [features, label]",
                message(IllegalArgumentException.class, () -> classifier().setFeaturesCol("feats").fit(sixFeatures)));
        assertEquals("featuresCol 'feats': no such column; the columns are [features, label]",
                message(IllegalArgumentException.class, () -> fitted.copy(ParamMap.empty()).setFeaturesCol("feats")
                        .transform(sixFeatures)));
    }

    @Test
    void aNonNumericFeaturesColumnIsNamedWithItsType() {
        Dataset<Row> strings = sixFeatures.selectExpr("transform(features, v -> cast(v as string)) as features", "label");
        assertEquals("featuresCol 'features' is array<string>, expected a vector (org.apache.spark.ml.linalg.Vector, "
                        + "e.g. from VectorAssembler) or an array of numbers",
                message(IllegalArgumentException.class, () -> classifier().fit(strings)));
        Dataset<Row> text = sixFeatures.selectExpr("'1,2,3' as features", "label");
        assertEquals("featuresCol 'features' is string, expected a vector (org.apache.spark.ml.linalg.Vector, "
                + "e.g. from VectorAssembler) or an array of numbers", message(IllegalArgumentException.class,
                () -> fitted.transform(text)));
        assertEquals("labelCol 'label' is string, expected a number", message(IllegalArgumentException.class,
                () -> classifier().fit(sixFeatures.selectExpr("features", "cast(label as string) as label"))));
    }

    @Test
    void rowsOfOtherWidthsOrWithoutFeaturesAreCounted() {
        Dataset<Row> mixed = sixFeatures.union(MlTestData.arrays(spark, 3, 4, 3));
        assertEquals("featuresCol 'features' holds 4 to 6 values per row: every row needs the same number",
                message(dev.sparktrain.data.DataException.class, () -> classifier().fit(mixed)));
        Dataset<Row> nulls = sixFeatures.union(spark.createDataFrame(List.of(RowFactory.create(null, 0),
                RowFactory.create(null, 1)), sixFeatures.schema()));
        assertEquals("featuresCol 'features' is null in 2 of 162 rows",
                message(dev.sparktrain.data.DataException.class, () -> classifier().fit(nulls)));
    }

    @Test
    void aLabelOutsideTheClassesIsNamedWithItsValue() {
        Dataset<Row> withFive = sixFeatures.union(spark.createDataFrame(List.of(RowFactory.create(new float[6], 5)),
                sixFeatures.schema()));
        assertEquals("labelCol 'label' holds 5, outside [0, 2) (classes = 2)", message(
                dev.sparktrain.data.DataException.class, () -> classifier().setClasses(2).fit(withFive)));
        Dataset<Row> half = sixFeatures.selectExpr("features", "if(label = 1, 0.5, 0.0) as label");
        assertEquals("labelCol 'label' holds 0.5, not a class index (an integer in [0, classes))", message(
                dev.sparktrain.data.DataException.class, () -> classifier().fit(half)));
        Dataset<Row> infinite = MlTestData.regression(spark, 20, 1).selectExpr("features", "if(y > 1, 1e308 * 10, y) as y");
        assertEquals("labelCol 'y' is null, NaN or infinite in " + infinite.where("y > 1e308").count() + " of 20 rows",
                message(dev.sparktrain.data.DataException.class, () -> new SparkTrainRegressor().setLabelCol("y")
                        .fit(infinite)));
        assertEquals("loss: a regressor needs a loss of values (mse, l1, smooth_l1, huber, ...), found \"\" "
                + "(softmax + cross-entropy)", message(IllegalArgumentException.class, () -> new SparkTrainRegressor()
                .setLabelCol("y").setLoss("").fit(MlTestData.regression(spark, 20, 1))));
        Dataset<Row> negative = sixFeatures.selectExpr("features", "label - 1 as label");
        assertEquals("labelCol 'label' holds -1, outside [0, 3)", message(dev.sparktrain.data.DataException.class,
                () -> classifier().setClasses(3).fit(negative)));
    }

    @Test
    void aModelWhoseInputSizeDoesNotMatchTheDataIsNamedWithBothSizes() {
        MultiLayerConfiguration tenInputs = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).build()).build();
        assertEquals("model: the DL4J configuration takes 10 inputs, featuresCol 'features' holds 6 values per row",
                message(IllegalArgumentException.class, () -> classifier().setModel(tenInputs).fit(sixFeatures)));

        // a vector column whose size the schema records: checked when transform is called
        Dataset<Row> four = spark.createDataFrame(List.of(RowFactory.create(1.0, 2.0, 3.0, 4.0)), new StructType()
                .add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType).add("c", DataTypes.DoubleType)
                .add("d", DataTypes.DoubleType));
        Dataset<Row> assembled = new VectorAssembler().setInputCols(new String[]{"a", "b", "c", "d"})
                .setOutputCol("features").transform(four);
        assertEquals("featuresCol 'features' holds vectors of 4 values, the model takes 6 (the number of features it "
                + "was fit on)", message(IllegalArgumentException.class, () -> fitted.transform(assembled)));
        // an array column: checked row by row as it is scored
        Dataset<Row> arrays = MlTestData.arrays(spark, 10, 4, 2);
        assertEquals("featuresCol 'features' holds 4 values in a row, the model takes 6 (the number of features it "
                + "was fit on)", message(dev.sparktrain.data.DataException.class,
                () -> fitted.transform(arrays).collectAsList()));
    }

    @Test
    void aBadParamValueFailsWhenSet() {
        assertEquals("config: unknown config key 'train.epoch' (set in String: 1); did you mean 'train.epochs'?",
                message(IllegalArgumentException.class, () -> new SparkTrainClassifier().setConfig("train.epoch = 3")));
        assertEquals("hiddenLayers: every width must be >= 1, found [8, 0]",
                message(IllegalArgumentException.class, () -> new SparkTrainRegressor().setHiddenLayers(8, 0)));
        assertThrows(IllegalArgumentException.class, () -> new SparkTrainClassifier().setEpochs(0));
        assertThrows(IllegalArgumentException.class, () -> new SparkTrainClassifier().setClasses(1));
    }
}
