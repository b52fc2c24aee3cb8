package dev.sparktrain.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML regressor that trains a one-output sparktrain network ({@code data.target = value}),
 * as {@link SparkTrainClassifier} trains a classifier: same training Params ({@link SparkTrainParams};
 * the loss defaults to {@code mse}), features a vector or an array of numbers, the label any finite
 * number. {@code fit} returns a {@link SparkTrainRegressionModel}; saves and loads as a Pipeline stage.
 */
public final class SparkTrainRegressor extends Regressor<Vector, SparkTrainRegressor, SparkTrainRegressionModel>
        implements SparkTrainEstimatorParams<SparkTrainRegressor>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private String uid; // set after super(): see UidHandover

    public SparkTrainRegressor() {
        this(Identifiable.randomUID("sparkTrainRegressor"));
    }

    /** With the given uid (Spark's copy and load use this constructor). */
    public SparkTrainRegressor(String uid) {
        this(UidHandover.of(uid));
    }

    private SparkTrainRegressor(UidHandover handover) {
        super();
        this.uid = handover.take();
        ParamDefaults.set(this, true);
    }

    @Override
    public String uid() {
        return uid != null ? uid : UidHandover.pending();
    }

    @Override
    public SparkTrainRegressionModel train(Dataset<?> dataset) {
        FittedNetwork net = Fitting.fit(this, dataset, getFeaturesCol(), getLabelCol(), new Fitting.Target(false, 0));
        return new SparkTrainRegressionModel(uid(), net);
    }

    @Override
    public StructType validateAndTransformSchema(StructType schema, boolean fitting, DataType featuresDataType) {
        DataType features = FeaturesColumn.check(schema, getFeaturesCol());
        if (fitting) {
            FeaturesColumn.checkLabel(schema, getLabelCol());
        }
        return super.validateAndTransformSchema(schema, fitting, features);
    }

    @Override
    public SparkTrainRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<SparkTrainRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static SparkTrainRegressor load(String path) {
        return read().load(path);
    }
}
