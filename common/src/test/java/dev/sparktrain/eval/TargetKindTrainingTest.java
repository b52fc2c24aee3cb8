package dev.sparktrain.eval;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.trainer.DataInput;
import dev.sparktrain.trainer.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training reports the figures its target kind has: a regression run MSE, MAE and R² (no accuracy),
 * its epoch line val_mse and val_mae; early stopping on an accuracy it does not have is refused.
 */
class TargetKindTrainingTest {
    @TempDir
    Path dir;

    /** y = 2a - b + noise, two features. */
    private static ArrayDataset rows(int n, long seed) {
        Random r = new Random(seed);
        float[] f = new float[2 * n];
        float[] y = new float[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            f[2 * i] = (float) r.nextGaussian();
            f[2 * i + 1] = (float) r.nextGaussian();
            y[i] = 2 * f[2 * i] - f[2 * i + 1] + (float) (0.1 * r.nextGaussian());
            ids[i] = seed * 100_000 + i;
        }
        return ArrayDataset.valued(f, y, 1, ids, 1, 1, 2);
    }

    private Trainer.Builder regression() {
        return Trainer.builder().set("data.classes", 1).set("data.target", "value").loss("mse", Map.of())
                .set("model.type", "mlp").set("model.hidden", List.of(8)).optimizer("adam", 0.02).epochs(3)
                .batchSize(16).workers(1).set("output.dir", dir.resolve("exp").toUri().toString())
                .set("checkpoint.every-epochs", 0);
    }

    @Test
    void aRegressionRunReportsMseMaeAndR2AndNoAccuracy() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        EpochMetrics last = regression().console(new PrintStream(console, true)).build()
                .fit(DataInput.of(rows(400, 1), rows(100, 2))).snapshot().last();
        assertTrue(Double.isNaN(last.valAccuracy()));
        assertEquals(List.of("mse", "mae", "r2"), List.copyOf(last.valMetrics().keySet()));
        // the MSE loss (mean over the examples' single output) is the MSE figure
        assertEquals(last.valLoss(), last.valMetrics().get("mse"), 1e-6);
        assertTrue(last.valMetrics().get("r2") > 0.5, "a linear target: " + last.valMetrics());
        String out = console.toString();
        assertTrue(out.contains("val_mse") && out.contains("val_mae") && !out.contains("val_acc "), out);
        String metrics = Files.readString(Files.list(dir.resolve("exp/runs")).findFirst().orElseThrow()
                .resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"val_metrics\":{\"mse\":"), metrics);
    }

    @Test
    void earlyStoppingOnAnAccuracyTheModelLacksIsRefusedBeforeTraining() {
        ConfigException e = assertThrows(ConfigException.class, () -> regression()
                .set("early-stopping.monitor", "val_accuracy").set("early-stopping.patience", 2)
                .console(new PrintStream(PrintStream.nullOutputStream())).build()
                .fit(DataInput.of(rows(40, 1), rows(10, 2))));
        assertTrue(e.getMessage().startsWith("early-stopping.monitor = val_accuracy, but a regression model has no "
                + "accuracy"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("exp/runs")), "nothing written");
    }
}
