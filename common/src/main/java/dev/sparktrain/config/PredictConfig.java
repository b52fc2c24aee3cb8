package dev.sparktrain.config;

import java.util.List;

/**
 * {@code predict}: the columns of a Spark SQL source each prediction row carries besides the example's
 * id ({@code predict.keep-columns}), and the examples per forward pass ({@code predict.batch-size}).
 */
public record PredictConfig(List<String> keepColumns, int batchSize) {

    /** Checked as the config file is, with its messages. */
    public PredictConfig {
        keepColumns = List.copyOf(keepColumns);
        for (String c : keepColumns) {
            Check.nonBlank("predict.keep-columns", c, "column names");
        }
        Check.range("predict.batch-size", batchSize, 1, 1_000_000);
    }

    static PredictConfig read(ConfigReader r) {
        return new PredictConfig(r.stringOrList("predict.keep-columns"), r.intValue("predict.batch-size"));
    }
}
