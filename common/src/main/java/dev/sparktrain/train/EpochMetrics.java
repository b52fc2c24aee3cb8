package dev.sparktrain.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * One epoch's figures, as written to metrics.jsonl. {@code trainLoss} is the sample-weighted mean of
 * the minibatch losses of the epoch (each taken before its step, as PyTorch's loop computes
 * {@code running_loss += loss.item() * batch_size}); validation is forward-only in eval mode.
 * {@code lr} holds each param group's lr during the epoch's last step.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EpochMetrics(int epoch, long step, double trainLoss, long trainExamples, double valLoss,
                           double valAccuracy, long valExamples, double samplesPerSec, double trainSeconds,
                           double epochSeconds, List<Double> lr) {

    /** The line printed on the console. */
    public String progressLine(int epochs) {
        return String.format(java.util.Locale.ROOT,
                "epoch %d/%d  train_loss %.4f  val_loss %.4f  val_acc %.4f  lr %s  %,.0f samples/s  %.1f s",
                epoch, epochs, trainLoss, valLoss, valAccuracy, lrText(), samplesPerSec, epochSeconds);
    }

    private String lrText() {
        return lr.size() == 1 ? String.format(java.util.Locale.ROOT, "%.3g", lr.get(0))
                : lr.stream().map(v -> String.format(java.util.Locale.ROOT, "%.3g", v)).toList().toString();
    }

    /** True when the training-outcome figures (not the timings) are equal. */
    public boolean sameOutcome(EpochMetrics o) {
        return epoch == o.epoch && step == o.step && trainLoss == o.trainLoss && trainExamples == o.trainExamples
                && valLoss == o.valLoss && valAccuracy == o.valAccuracy && valExamples == o.valExamples;
    }
}
