package dev.sparktrain.run;

import dev.sparktrain.train.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar through each epoch's minibatch steps (the {@code progressbar} library), with the
 * epoch's running train loss and an ETA; cleared when the epoch ends, where the epoch's line takes its
 * place. The runs of the command line and the {@code Trainer} show it on an interactive terminal only.
 */
public final class ProgressListener implements TrainingListener {
    private final int epochs;
    private final PrintStream out;
    private final int width;
    private ProgressBar bar;
    private int barEpoch = -1;
    private double lossSum;
    private long count;

    /** Draws on {@code out}, {@code width} characters wide (0: the terminal's width). */
    public ProgressListener(int epochs, PrintStream out, int width) {
        this.epochs = epochs;
        this.out = out;
        this.width = width;
    }

    /** True when a person watches: standard output is an interactive terminal. */
    public static boolean interactive(PrintStream console) {
        return console == System.out && System.console() != null;
    }

    @Override
    public void onRoundEnd(RoundEvent event) {
        if (bar == null || barEpoch != event.epoch()) {
            close();
            barEpoch = event.epoch();
            lossSum = 0;
            count = 0;
            bar = new ProgressBarBuilder().setTaskName("epoch " + (event.epoch() + 1) + "/" + epochs)
                    .setInitialMax(event.epochSteps()).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(width > 0 ? new ConsoleProgressBarConsumer(out, width)
                            : new ConsoleProgressBarConsumer(out))
                    .clearDisplayOnFinish().build();
        }
        lossSum += event.lossSum();
        count += event.count();
        bar.stepTo(event.epochStepsDone());
        bar.setExtraMessage(String.format(Locale.ROOT, "train_loss %.4f", lossSum / count));
    }

    @Override
    public void onEpochEnd(EpochEvent event) {
        close();
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
