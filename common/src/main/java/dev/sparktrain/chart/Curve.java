package dev.sparktrain.chart;

import dev.sparktrain.train.EpochMetrics;

import java.util.List;

/**
 * One run's learning curve: its name (the run id: the legend's label when runs are overlaid) and its
 * epochs' figures, in order.
 */
public record Curve(String name, List<EpochMetrics> epochs) {
    public Curve {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a curve needs a name (the run id), found '" + name + "'");
        }
        epochs = List.copyOf(epochs);
    }
}
