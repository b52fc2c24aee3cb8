package dev.sparktrain.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
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

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples of docs/spark-ml.md, run: a Pipeline (VectorAssembler, StandardScaler, the classifier)
 * fit, saved, and loaded in a fresh SparkSession with identical predictions; CrossValidator over two
 * learning rates. Each code block of the page is a snippet of this class, between
 * {@code // README:<name>-start} and {@code // README:<name>-end}, shown verbatim (less its
 * indentation); the page's Param table names every Param of both estimators.
 */
class PipelineExampleTest {
    private static final Path DOCS = Path.of("../docs/spark-ml.md");
    private static final Path SOURCE = Path.of("src/test/java/dev/sparktrain/ml/PipelineExampleTest.java");

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static Dataset<Row> training;
    private static Dataset<Row> test;

    @BeforeAll
    static void data() {
        spark = MlTestData.spark();
        training = MlTestData.classes(spark, 400, 3, 1).cache();
        test = MlTestData.classes(spark, 120, 3, 2).cache();
    }

    @Test
    void aPipelineSavedAndLoadedInAFreshSessionPredictsIdentically() throws Exception {
        String path = dir.resolve("events-model").toString();
        // README:pipeline-start
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{
                new VectorAssembler().setInputCols(new String[]{"x0", "x1", "x2", "x3", "x4", "x5"}).setOutputCol("raw"),
                new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
                new SparkTrainClassifier()                  // labelCol "label": classes 0, 1, ...
                        .setHiddenLayers(16).setLoss("cross_entropy")
                        .setOptimizer("adamw").setLearningRate(0.01)
                        .setEpochs(3).setBatchSize(32).setWorkers(2)
                        .setConfig("early-stopping { monitor = val_loss, patience = 2 }")});
        PipelineModel model = pipeline.fit(training);
        model.write().overwrite().save(path);              // metadata + data/model.zip per stage

        Dataset<Row> scored = PipelineModel.load(path).transform(test);  // + prediction, rawPrediction, probability
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        // README:pipeline-end
        System.out.printf(Locale.ROOT, "pipeline: test accuracy %.4f%n", accuracy);
        assertTrue(accuracy > 0.8, "3 separable classes: " + accuracy);
        String[] columns = scored.columns();
        assertEquals(List.of("prediction", "rawPrediction", "probability"),
                List.of(columns).subList(columns.length - 3, columns.length));

        SparkSession fresh = spark.newSession();
        PipelineModel loaded = PipelineModel.read().session(fresh).load(path);
        List<Row> inMemory = outputs(model.transform(test));
        assertEquals(inMemory, outputs(scored), "loaded in the same session");
        List<Row> after = outputs(loaded.transform(fresh.createDataFrame(test.collectAsList(), test.schema())));
        assertEquals(inMemory.size(), after.size());
        for (int i = 0; i < after.size(); i++) {
            assertEquals(inMemory.get(i).getDouble(0), after.get(i).getDouble(0), "prediction of row " + i);
            for (int c = 1; c <= 2; c++) {
                assertArrayEquals(((Vector) inMemory.get(i).get(c)).toArray(), ((Vector) after.get(i).get(c)).toArray(),
                        "rawPrediction and probability of row " + i);
            }
        }
        SparkTrainClassificationModel m = (SparkTrainClassificationModel) loaded.stages()[2];
        assertEquals(3, m.numClasses());
        assertEquals(MlTestData.FEATURES, m.numFeatures());

        // the unfitted pipeline saves and loads too, with the classifier's Params
        String unfitted = dir.resolve("pipeline").toString();
        pipeline.write().overwrite().save(unfitted);
        SparkTrainClassifier c = (SparkTrainClassifier) Pipeline.load(unfitted).getStages()[2];
        assertArrayEquals(new int[]{16}, c.getHiddenLayers());
        assertEquals("adamw", c.getOptimizer());
    }

    private static List<Row> outputs(Dataset<Row> scored) {
        return scored.select("prediction", "rawPrediction", "probability").collectAsList();
    }

    @Test
    void aCrossValidatorOverTwoLearningRatesPicksOneAndReportsBoth() {
        Dataset<Row> assembled = new VectorAssembler().setInputCols(new String[]{"x0", "x1", "x2", "x3", "x4", "x5"})
                .setOutputCol("raw").transform(training);
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
        for (double a : accuracies) {
            assertTrue(a >= 0 && a <= 1, "an accuracy: " + a);
        }
        assertEquals(accuracies[1] > accuracies[0] ? 0.05 : 1e-4, best.getLearningRate(), "the better learning rate");
        assertTrue(accuracies[1] > accuracies[0], "2 epochs at lr 1e-4 learn little: " + Arrays.toString(accuracies));
    }

    @Test
    void theDocsShowTheExamplesVerbatim() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOCS));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        List<String> snippets = new ArrayList<>();
        Matcher s = Pattern.compile("\n[ \t]*// README:([a-z]+)-start\n(.*?)\n[ \t]*// README:\\1-end", Pattern.DOTALL)
                .matcher(Files.readString(SOURCE));
        while (s.find()) {
            snippets.add(dedent(s.group(2)));
        }
        assertEquals(2, snippets.size(), "the pipeline and tuning snippets");
        assertEquals(snippets, blocks, DOCS + ": its java blocks are this test's snippets, in order");
    }

    @Test
    void theDocsNameEveryParamAndEveryTrainingParamIsASparkParam() throws IOException {
        String docs = Files.readString(DOCS);
        List<Param<?>> params = new ArrayList<>(List.of(new SparkTrainClassifier().params()));
        params.addAll(List.of(new SparkTrainRegressor().params()));
        for (Param<?> p : params) {
            assertTrue(docs.contains("`" + p.name() + "`"), DOCS + " names the Param " + p.name());
        }
        Set<String> training = Arrays.stream(SparkTrainParams.class.getDeclaredMethods())
                .filter(x -> Param.class.isAssignableFrom(x.getReturnType())).map(Method::getName)
                .collect(Collectors.toSet());
        assertEquals(13, training.size(), "the training Params: " + training);
        Set<String> names = params.stream().map(Param::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(training), "Spark finds them: " + names);
    }

    /** The lines without their common indentation, each ending with a newline. */
    static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
