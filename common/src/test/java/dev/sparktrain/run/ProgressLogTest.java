package dev.sparktrain.run;

import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.TrainingControl;
import dev.sparktrain.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Progress lines for logs, driven by a fake clock: one per interval, with the pace and the time left. */
class ProgressLogTest {
    private final long[] now = {0};
    private final TrainingControl control = new TrainingControl();

    @Test
    void aLineEveryIntervalWithSamplesPerSecondAndTheTimeLeftInTheEpochAndTheRun() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLog log = new ProgressLog(3, new PrintStream(bytes, true, StandardCharsets.UTF_8), 5, () -> now[0]);
        // epoch 1: 10 rounds of one step, 64 examples, loss sum 32 (mean 0.5), 2 s each
        for (int done = 1; done <= 10; done++) {
            now[0] += 2_000_000_000L;
            log.onRoundEnd(round(0, done, 10, 32.0));
        }
        // validation took 6 s: the epoch's figures say 20 s of training in 26 s
        log.onEpochEnd(new TrainingListener.EpochEvent(new EpochMetrics(1, 10, 0.5, 640, 0.4, 0.9, 100, 32.0, 20.0,
                26.0, List.of(0.1)), null, 3, control));
        now[0] += 6_000_000_000L;
        for (int done = 1; done <= 4; done++) {
            now[0] += 2_000_000_000L;
            log.onRoundEnd(round(1, done, 10, 16.0));
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                // t = 6 s: rounds 2 and 3 timed (the first round of an epoch has no start to time it from)
                "progress: epoch 1/3  step 3/10 (30%)  train_loss 0.5000  32 samples/s  eta epoch 0:00:14  run 0:00:54",
                // t = 12 s, 18 s: the last round of an epoch gets none (the epoch's own line follows)
                "progress: epoch 1/3  step 6/10 (60%)  train_loss 0.5000  32 samples/s  eta epoch 0:00:08  run 0:00:48",
                "progress: epoch 1/3  step 9/10 (90%)  train_loss 0.5000  32 samples/s  eta epoch 0:00:02  run 0:00:42",
                // t = 28 s (epoch 1 ended at 20 s, validated until 26 s): epoch 2's running loss; the run's time
                // left counts this epoch's 9 steps (18 s) and validation (6 s), then epoch 3's 20 s + 6 s
                "progress: epoch 2/3  step 1/10 (10%)  train_loss 0.2500  32 samples/s  eta epoch 0:00:18  run 0:00:50",
                "progress: epoch 2/3  step 4/10 (40%)  train_loss 0.2500  32 samples/s  eta epoch 0:00:12  run 0:00:44"),
                lines);
    }

    @Test
    void theIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ProgressLog(1, System.out, 0));
    }

    private TrainingListener.RoundEvent round(int epoch, int done, int steps, double lossSum) {
        return new TrainingListener.RoundEvent(epoch, epoch * 10L + done, 1, done, steps, lossSum, 64, List.of(0.1),
                Nd4j.zeros(1), control);
    }
}
