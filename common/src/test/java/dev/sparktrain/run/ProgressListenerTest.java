package dev.sparktrain.run;

import dev.sparktrain.train.TrainingControl;
import dev.sparktrain.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the terminal shows during an epoch: the epoch, the steps done of all, the running loss. */
class ProgressListenerTest {

    @Test
    void theBarShowsTheEpochItsStepsAndTheRunningLoss() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressListener p = new ProgressListener(2, out, 100);
        TrainingControl control = new TrainingControl();
        for (int done = 4; done <= 12; done += 4) {
            // three rounds of k = 4 over 12 steps, each 128 examples with a summed loss of 64: mean 0.5
            p.onRoundEnd(new TrainingListener.RoundEvent(1, 12 + done, 4, done, 12, 64.0, 128, List.of(0.1),
                    Nd4j.zeros(1), control));
        }
        p.onEpochEnd(null);
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("epoch 2/2"), shown);
        assertTrue(shown.contains("12/12"), shown);
        assertTrue(shown.contains("loss 0.5000"), shown);
        assertTrue(shown.contains("run ETA "), shown);
        assertFalse(ProgressListener.interactive(new PrintStream(bytes)), "only standard output can be a terminal");
    }
}
