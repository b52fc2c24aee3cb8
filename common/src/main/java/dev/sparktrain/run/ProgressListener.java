package dev.sparktrain.run;

import dev.sparktrain.train.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar through each epoch's minibatch steps (the {@code progressbar} library: steps done of
 * all and the epoch's elapsed time and ETA), with the time left in the run, the epoch's running train
 * loss and samples/s; cleared when the epoch ends, where the epoch's line takes its place. The runs
 * of the command line and the {@code Trainer} show it on an interactive terminal only
 * ({@link ProgressLog} writes lines otherwise).
 */
public final class ProgressListener implements TrainingListener {
    private final int epochs;
    private final PrintStream out;
    private final int width;
    private final Pace pace;
    private ProgressBar bar;

    /** Draws on {@code out}, {@code width} characters wide (0: the terminal's width). */
    public ProgressListener(int epochs, PrintStream out, int width) {
        this(epochs, out, width, System::nanoTime);
    }

    /** Timed by {@code clock} (ns) for samples/s and the run's time left. */
    public ProgressListener(int epochs, PrintStream out, int width, LongSupplier clock) {
        this.epochs = epochs;
        this.out = out;
        this.width = width;
        this.pace = new Pace(epochs, clock);
    }

    /** True when a person watches: standard output is an interactive terminal. */
    public static boolean interactive(PrintStream console) {
        return console == System.out && System.console() != null;
    }

    @Override
    public void onRoundEnd(RoundEvent event) {
        if (pace.round(event) || bar == null) {
            close();
            bar = new ProgressBarBuilder().setTaskName("epoch " + (event.epoch() + 1) + "/" + epochs)
                    .setInitialMax(event.epochSteps()).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(width > 0 ? new ConsoleProgressBarConsumer(out, width)
                            : new ConsoleProgressBarConsumer(out))
                    .startsFrom(event.epochStepsDone() - event.steps(), java.time.Duration.ZERO)
                    .clearDisplayOnFinish().build();
        }
        bar.stepTo(event.epochStepsDone());
        double rate = pace.samplesPerSec();
        // the run's time left first: a narrow terminal cuts the end of the line
        bar.setExtraMessage(String.format(Locale.ROOT, "run ETA %s  loss %.4f  %s samples/s",
                Pace.duration(pace.runSecondsLeft()), pace.runningLoss(),
                Double.isNaN(rate) ? "?" : String.format(Locale.ROOT, "%,.0f", rate)));
    }

    @Override
    public void onEpochEnd(EpochEvent event) {
        close();
        pace.epochEnd(event == null ? null : event.metrics());
    }

    @Override
    public void onTrainingEnd(EndEvent event) {
        close();
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
