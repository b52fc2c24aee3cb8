package dev.sparktrain.ml;

import com.typesafe.config.Config;
import dev.sparktrain.config.ConfigLoader;

/**
 * Every default of the training Params, in one place: those of sparktrain's {@code defaults.conf} (so
 * an estimator trains as the command line does with the same keys), except where an estimator needs
 * its own: the model ({@code mlp}, for feature vectors), the regressor's loss ({@code mse}), a held-out
 * tenth for validation, and a temporary experiment directory.
 */
final class ParamDefaults {
    /** Held out for the validation figures unless set: the CLI's runs validate too, and early stopping needs it. */
    static final double VALIDATION_FRACTION = 0.1;
    static final String MODEL = "mlp";
    static final String REGRESSION_LOSS = "mse";

    private ParamDefaults() {
    }

    /** The training Params' defaults on an estimator or model; {@code regression}: the regressor's loss. */
    static void set(SparkTrainParams p, boolean regression) {
        Config d = ConfigLoader.defaults();
        p.setDefault(p.config(), "");
        p.setDefault(p.model(), MODEL);
        p.setDefault(p.hiddenLayers(), d.getIntList("model.hidden").stream().mapToInt(Integer::intValue).toArray());
        p.setDefault(p.loss(), regression ? REGRESSION_LOSS : "");
        p.setDefault(p.optimizer(), d.getString("optimizer.type"));
        p.setDefault(p.learningRate(), d.getDouble("optimizer.lr"));
        p.setDefault(p.epochs(), d.getInt("train.epochs"));
        p.setDefault(p.batchSize(), d.getInt("train.batch-size"));
        p.setDefault(p.workers(), d.getInt("train.workers"));
        p.setDefault(p.averagingFrequency(), d.getInt("train.averaging-frequency"));
        p.setDefault(p.seed(), d.getLong("train.seed"));
        p.setDefault(p.validationFraction(), VALIDATION_FRACTION);
        p.setDefault(p.outputDir(), "");
    }
}
