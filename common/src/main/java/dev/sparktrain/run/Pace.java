package dev.sparktrain.run;

import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.TrainingListener.RoundEvent;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A run's pace from its rounds, for the progress bar and the progress lines: samples/s and the time
 * left in the epoch and in the run. Only time between two rounds of one epoch counts as training time
 * (not the first round after a start or a validation); the run's time left adds each remaining epoch's
 * validation at the last epoch's measured cost.
 */
final class Pace {
    private final int epochs;
    private final LongSupplier clock;
    private int epoch = -1;
    private int stepsDone;
    private int epochSteps;
    private double lossSum;
    private long count;
    private long lastRound;
    private long trainNanos;
    private long timedSteps;
    private long timedExamples;
    private double validationSeconds;

    /** For a run of {@code epochs} epochs, timed by {@code clock} (ns). */
    Pace(int epochs, LongSupplier clock) {
        this.epochs = epochs;
        this.clock = clock;
    }

    /** Takes a round in; true when it began a new epoch (or the first epoch this process saw). */
    boolean round(RoundEvent e) {
        long now = clock.getAsLong();
        boolean newEpoch = e.epoch() != epoch;
        if (newEpoch) {
            epoch = e.epoch();
            lossSum = 0;
            count = 0;
        } else {
            trainNanos += now - lastRound;
            timedSteps += e.steps();
            timedExamples += e.count();
        }
        lastRound = now;
        stepsDone = e.epochStepsDone();
        epochSteps = e.epochSteps();
        lossSum += e.lossSum();
        count += e.count();
        return newEpoch;
    }

    /** Takes an epoch's figures in: its validation's cost is the estimate for the ones to come. */
    void epochEnd(EpochMetrics m) {
        if (m != null) {
            validationSeconds = Math.max(0, m.epochSeconds() - m.trainSeconds());
        }
    }

    int epoch() {
        return epoch;
    }

    int stepsDone() {
        return stepsDone;
    }

    int epochSteps() {
        return epochSteps;
    }

    /** The epoch's running train loss over the rounds this process ran. */
    double runningLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    /** Training samples per second between rounds; NaN until two rounds of one epoch were timed. */
    double samplesPerSec() {
        return timedSteps == 0 || trainNanos <= 0 ? Double.NaN : timedExamples / (trainNanos / 1e9);
    }

    /** Seconds to the end of this epoch's training steps; NaN while the pace is unknown. */
    double epochSecondsLeft() {
        return timedSteps == 0 ? Double.NaN : (epochSteps - stepsDone) * secondsPerStep();
    }

    /** Seconds to the end of the run: this epoch's steps and validation, then each remaining epoch's. */
    double runSecondsLeft() {
        if (timedSteps == 0) {
            return Double.NaN;
        }
        int epochsAfter = epochs - epoch - 1;
        return epochSecondsLeft() + validationSeconds + epochsAfter * (epochSteps * secondsPerStep() + validationSeconds);
    }

    /** "samples/s, eta epoch 0:02:04, run 0:19:30", with "?" for what is not known yet. */
    String text() {
        double rate = samplesPerSec();
        return String.format(Locale.ROOT, "%s samples/s  eta epoch %s  run %s",
                Double.isNaN(rate) ? "?" : String.format(Locale.ROOT, "%,.0f", rate), duration(epochSecondsLeft()),
                duration(runSecondsLeft()));
    }

    private double secondsPerStep() {
        return trainNanos / 1e9 / timedSteps;
    }

    /** h:mm:ss, or "?" for NaN. */
    static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
