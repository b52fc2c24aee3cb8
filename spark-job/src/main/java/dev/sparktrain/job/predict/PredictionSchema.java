package dev.sparktrain.job.predict;

import dev.sparktrain.eval.Evaluator;
import dev.sparktrain.eval.TargetKind;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a prediction, flat so that CSV holds them as Parquet does: {@code id} (the example's
 * stable id), the label when the source has one ({@code label}, or {@code label_j} for several target
 * values), the prediction
 * ({@code prediction}: the class, or the value; {@code prediction_j} per label of a multi-label model or
 * output of a multi-output one) and the probabilities ({@code probability_c} per class of a multi-class
 * model, {@code probability} of class 1 for a binary one, {@code probability_j} per label).
 */
public record PredictionSchema(Evaluator evaluator, int labelValues, boolean labelled) implements Serializable {

    /**
     * {@code labelValues}: 0 for class labels, else the number of target values per example;
     * {@code labelled} false: the source has no labels, the rows no label column.
     */
    public StructType struct() {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("id", DataTypes.LongType, false));
        if (labelled && labelValues == 0) {
            f.add(DataTypes.createStructField("label", DataTypes.IntegerType, false));
        } else if (labelled) {
            columns(f, "label", labelValues, DataTypes.DoubleType);
        }
        int k = evaluator.outputs();
        switch (evaluator.kind()) {
            case MULTICLASS -> {
                f.add(DataTypes.createStructField("prediction", DataTypes.IntegerType, false));
                columns(f, "probability", k, DataTypes.DoubleType);
            }
            case BINARY -> {
                f.add(DataTypes.createStructField("prediction", DataTypes.IntegerType, false));
                f.add(DataTypes.createStructField("probability", DataTypes.DoubleType, false));
            }
            case MULTILABEL -> {
                columns(f, "prediction", k, DataTypes.IntegerType);
                columns(f, "probability", k, DataTypes.DoubleType);
            }
            case REGRESSION, LOSS_ONLY -> columns(f, evaluator.kind() == TargetKind.REGRESSION ? "prediction"
                    : "output", k, DataTypes.DoubleType);
        }
        return DataTypes.createStructType(f);
    }

    /** One column {@code name} when n is 1, else name_0 .. name_{n-1}. */
    private static void columns(List<StructField> f, String name, int n, DataType type) {
        for (int j = 0; j < n; j++) {
            f.add(DataTypes.createStructField(n == 1 ? name : name + "_" + j, type, false));
        }
    }

    /** The row values after id and label, for one example's scores (see {@link Evaluator#scores}). */
    public void append(List<Object> row, double[] scores) {
        switch (evaluator.kind()) {
            case MULTICLASS -> {
                row.add(Evaluator.argMax(scores));
                for (double p : scores) {
                    row.add(p);
                }
            }
            case BINARY -> {
                row.add(scores[0] > 0.5 ? 1 : 0);
                row.add(scores[0]);
            }
            case MULTILABEL -> {
                for (double p : scores) {
                    row.add(p > 0.5 ? 1 : 0);
                }
                for (double p : scores) {
                    row.add(p);
                }
            }
            case REGRESSION, LOSS_ONLY -> {
                for (double v : scores) {
                    row.add(v);
                }
            }
        }
    }
}
