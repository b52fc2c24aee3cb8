package dev.sparktrain.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One epoch's figures, as written to metrics.jsonl. {@code trainLoss} is the sample-weighted mean of
 * the minibatch losses of the epoch (each taken before its step, as PyTorch's loop computes
 * {@code running_loss += loss.item() * batch_size}); validation is forward-only in eval mode.
 * {@code lr} holds each param group's lr during the epoch's last step. {@code valMetrics} holds the
 * validation figures the target kind has (accuracy; exact_match for multi-label; mse, mae and r2 for
 * regression); {@code valAccuracy} is NaN for kinds without an accuracy.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EpochMetrics(int epoch, long step, double trainLoss, long trainExamples, double valLoss,
                           double valAccuracy, long valExamples, double samplesPerSec, double trainSeconds,
                           double epochSeconds, List<Double> lr, Map<String, Double> valMetrics) {

    public EpochMetrics {
        lr = List.copyOf(lr);
        valMetrics = valMetrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(valMetrics));
    }

    /** Without figures beyond the validation accuracy (as checkpoints before format 3 hold). */
    public EpochMetrics(int epoch, long step, double trainLoss, long trainExamples, double valLoss,
                        double valAccuracy, long valExamples, double samplesPerSec, double trainSeconds,
                        double epochSeconds, List<Double> lr) {
        this(epoch, step, trainLoss, trainExamples, valLoss, valAccuracy, valExamples, samplesPerSec, trainSeconds,
                epochSeconds, lr, Map.of());
    }

    /** The line printed on the console. */
    public String progressLine(int epochs) {
        return String.format(java.util.Locale.ROOT,
                "epoch %d/%d  train_loss %.4f  val_loss %.4f  %s  lr %s  %,.0f samples/s  %.1f s",
                epoch, epochs, trainLoss, valLoss, valText(), lrText(), samplesPerSec, epochSeconds);
    }

    /** "val_acc 0.8512", or the figures the target kind has instead ("val_mse 0.1072  val_mae 0.2550"). */
    public String valText() {
        if (!Double.isNaN(valAccuracy) || valMetrics.isEmpty()) {
            return String.format(java.util.Locale.ROOT, "val_acc %.4f", valAccuracy);
        }
        StringBuilder s = new StringBuilder();
        valMetrics.forEach((k, v) -> {
            if (!k.equals("r2")) {
                s.append(s.isEmpty() ? "" : "  ").append(String.format(java.util.Locale.ROOT, "val_%s %.4f", k, v));
            }
        });
        return s.toString();
    }

    /**
     * The name of the validation figure that sums the epoch up: "accuracy" where the target kind has one,
     * else the first of {@code valMetrics} ("mse" for regression); null for kinds with neither (loss only).
     */
    public String headlineName() {
        if (!Double.isNaN(valAccuracy)) {
            return "accuracy";
        }
        return valMetrics.isEmpty() ? null : valMetrics.keySet().iterator().next();
    }

    /** The value of {@link #headlineName()}; NaN without one. */
    public double headline() {
        String name = headlineName();
        if (name == null) {
            return Double.NaN;
        }
        return name.equals("accuracy") && !Double.isNaN(valAccuracy) ? valAccuracy : valMetrics.get(name);
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
