package dev.sparktrain.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.eval.EvaluationReport;
import dev.sparktrain.job.predict.Predictions;
import dev.sparktrain.job.trainer.SparkBackend;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.trainer.DataInput;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code evaluate}: a trained model on the configured data's validation examples (data.val, or the
 * data.val-fraction split), distributed over the executors as training's validation is, so that it
 * gives the figures the run's last epoch printed for the same model and data.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a trained model on the configured validation data: loss, accuracy, per-class "
                + "precision/recall/F1 and support, macro and weighted averages and the confusion matrix "
                + "(classification), or MSE, MAE and R² (regression).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:evaluated", "1:failed (bad data, I/O, a lost Spark job)",
                "2:bad config or usage (also a model that does not fit the configured one, an --out that exists)"})
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--out", paramLabel = "FILE.json", description = "also write the report as JSON (any Hadoop URI)")
    String out;

    @Option(names = "--overwrite", description = "replace --out if it exists")
    boolean overwrite;

    @Override
    public Integer call() {
        ModelOptions.Loaded loaded = model.load();
        try (JavaSparkContext sc = TrainCommand.startSpark(TrainCommand.sparkConf(loaded.config()))) {
            if (out != null) {
                Predictions.checkOutput(out, overwrite, sc.hadoopConfiguration());
            }
            ModelOptions.Placed placed = loaded.place(sc.hadoopConfiguration(), System.out);
            Evaluation e;
            try (StepExecutor executor = SparkBackend.of(sc).executor(loaded.config(), DataInput.configured(),
                    placed.spec())) {
                e = executor.evaluate(placed.params());
            }
            System.out.print("model " + loaded.trained().location() + "\n" + EvaluationReport.text(e));
            if (out != null) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("model", loaded.trained().location());
                report.putAll(EvaluationReport.json(e));
                write(report, sc);
                System.out.println("report written to " + out);
            }
        }
        return 0;
    }

    private void write(Map<String, Object> report, JavaSparkContext sc) {
        Path p = new Path(out);
        try (FSDataOutputStream o = p.getFileSystem(sc.hadoopConfiguration()).create(p, overwrite)) {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue((java.io.OutputStream) o, report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }
}
