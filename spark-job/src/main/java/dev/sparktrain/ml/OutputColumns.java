package dev.sparktrain.ml;

import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns a model's transform appends, in the order its output schema has them, and their values
 * from one network output row: rawPrediction and probability (vectors), prediction (the class as a
 * double, or a regressor's value).
 */
record OutputColumns(List<Role> roles, NetworkOutput output, double[] thresholds) implements Serializable {

    enum Role { RAW_PREDICTION, PROBABILITY, CLASS, VALUE }

    /** A classifier's columns: those of {@code out} beyond {@code in}, by name. */
    static OutputColumns classifier(StructType in, StructType out, String rawCol, String probabilityCol,
                                    String predictionCol, NetworkOutput output, double[] thresholds) {
        List<Role> roles = new ArrayList<>();
        for (int i = in.size(); i < out.size(); i++) {
            String name = out.fields()[i].name();
            roles.add(name.equals(rawCol) ? Role.RAW_PREDICTION : name.equals(probabilityCol) ? Role.PROBABILITY
                    : role(name, predictionCol, Role.CLASS));
        }
        return new OutputColumns(List.copyOf(roles), output, thresholds == null ? null : thresholds.clone());
    }

    /** A regressor's column: the prediction. */
    static OutputColumns regressor(StructType in, StructType out, String predictionCol, NetworkOutput output) {
        List<Role> roles = new ArrayList<>();
        for (int i = in.size(); i < out.size(); i++) {
            roles.add(role(out.fields()[i].name(), predictionCol, Role.VALUE));
        }
        return new OutputColumns(List.copyOf(roles), output, null);
    }

    private static Role role(String name, String predictionCol, Role prediction) {
        if (!name.equals(predictionCol)) {
            throw new IllegalStateException("the output schema has a column '" + name + "' that no Param names");
        }
        return prediction;
    }

    /** The appended values for a network output row. */
    Object[] values(double[] out) {
        Object[] v = new Object[roles.size()];
        double[] raw = null;
        double[] probability = null;
        for (int i = 0; i < v.length; i++) {
            Role r = roles.get(i);
            if (r == Role.VALUE) {
                v[i] = out[0];
                continue;
            }
            raw = raw != null ? raw : output.raw(out);
            if (r == Role.RAW_PREDICTION) {
                v[i] = Vectors.dense(raw);
                continue;
            }
            probability = probability != null ? probability : output.probabilities(raw);
            v[i] = r == Role.PROBABILITY ? Vectors.dense(probability) : NetworkOutput.prediction(probability, thresholds);
        }
        return v;
    }
}
