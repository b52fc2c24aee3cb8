package dev.sparktrain.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples of docs/spark-ml.md run: each code block there is a snippet of a test, between
 * {@code // README:<name>-start} and {@code // README:<name>-end}, shown verbatim (less its
 * indentation); and the page's Param table names every Param of both estimators.
 */
class PipelineExampleTest {
    private static final Path DOCS = Path.of("../docs/spark-ml.md");
    private static final List<Path> SOURCES = List.of(
            Path.of("src/test/java/dev/sparktrain/ml/PipelineExampleTest.java"),
            Path.of("src/test/java/dev/sparktrain/ml/SparkTrainClassifierTest.java"));

    @TempDir
    Path dir;

    @Test
    void theDocumentedPipelineTrainsSavesAndLoads() throws Exception {
        SparkSession spark = MlTestData.spark();
        Dataset<Row> training = MlTestData.classes(spark, 400, 2, 11);
        Dataset<Row> test = MlTestData.classes(spark, 100, 2, 12);
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
        System.out.printf(Locale.ROOT, "documented pipeline: test accuracy %.4f%n", accuracy);
        assertTrue(accuracy > 0.8, "two separable classes: " + accuracy);
        assertEquals(List.of("prediction", "rawPrediction", "probability"),
                List.of(scored.columns()).subList(scored.columns().length - 3, scored.columns().length));
    }

    @Test
    void theDocsShowTheExamplesVerbatim() throws IOException {
        String docs = Files.readString(DOCS);
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(docs);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        List<String> snippets = new ArrayList<>();
        for (Path source : SOURCES) {
            Matcher s = Pattern.compile("\n[ \t]*// README:([a-z]+)-start\n(.*?)\n[ \t]*// README:\\1-end", Pattern.DOTALL)
                    .matcher(Files.readString(source));
            while (s.find()) {
                snippets.add(dedent(s.group(2)));
            }
        }
        assertEquals(2, snippets.size(), "the pipeline and tuning snippets");
        assertEquals(snippets, blocks, DOCS + ": its java blocks are the tests' snippets, in order");
    }

    @Test
    void theDocsNameEveryParam() throws IOException {
        String docs = Files.readString(DOCS);
        List<Param<?>> params = new ArrayList<>(List.of(new SparkTrainClassifier().params()));
        params.addAll(List.of(new SparkTrainRegressor().params()));
        for (Param<?> p : params) {
            assertTrue(docs.contains("`" + p.name() + "`"), DOCS + " names the Param " + p.name());
        }
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
