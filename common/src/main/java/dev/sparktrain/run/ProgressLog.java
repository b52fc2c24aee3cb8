package dev.sparktrain.run;

import dev.sparktrain.train.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress for logs, when no one watches a terminal: one line every {@code everySeconds} during
 * training, e.g. {@code progress: epoch 2/10  step 340/938 (36%)  train_loss 0.5123  4,812 samples/s
 * eta epoch 0:02:04  run 0:19:30}. The epoch's own line still follows each epoch.
 */
public final class ProgressLog implements TrainingListener {
    private final int epochs;
    private final PrintStream out;
    private final long everyNanos;
    private final LongSupplier clock;
    private final Pace pace;
    private long lastLine;

    public ProgressLog(int epochs, PrintStream out, double everySeconds) {
        this(epochs, out, everySeconds, System::nanoTime);
    }

    /** Timed by {@code clock} (ns). */
    public ProgressLog(int epochs, PrintStream out, double everySeconds, LongSupplier clock) {
        if (!(everySeconds > 0)) {
            throw new IllegalArgumentException("progress lines need an interval above 0 s, found " + everySeconds);
        }
        this.epochs = epochs;
        this.out = out;
        this.everyNanos = Math.round(everySeconds * TimeUnit.SECONDS.toNanos(1));
        this.clock = clock;
        this.pace = new Pace(epochs, clock);
        this.lastLine = clock.getAsLong();
    }

    @Override
    public void onRoundEnd(RoundEvent event) {
        pace.round(event);
        long now = clock.getAsLong();
        if (now - lastLine >= everyNanos && !event.lastOfEpoch()) {
            lastLine = now;
            out.println(String.format(Locale.ROOT, "progress: epoch %d/%d  step %d/%d (%d%%)  train_loss %.4f  %s",
                    pace.epoch() + 1, epochs, pace.stepsDone(), pace.epochSteps(),
                    100L * pace.stepsDone() / pace.epochSteps(), pace.runningLoss(), pace.text()));
            out.flush();
        }
    }

    @Override
    public void onEpochEnd(EpochEvent event) {
        pace.epochEnd(event.metrics());
    }
}
