package dev.sparktrain.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.LoggerFactory;

/**
 * A fitted {@link SparkTrainRegressor}: its one-output DL4J network and the Params it was trained
 * with. {@code transform} appends predictionCol (the network's output, a double), scoring each
 * partition in minibatches with one network per executor thread, restored once per executor JVM.
 * Saves and loads as Spark ML's models do: metadata plus {@code data/model.zip}.
 */
public final class SparkTrainRegressionModel extends RegressionModel<Vector, SparkTrainRegressionModel>
        implements SparkTrainParams, MLWritable {
    private static final long serialVersionUID = 1L;
    private String uid; // set after super(): see UidHandover
    private final FittedNetwork network;

    SparkTrainRegressionModel(String uid, FittedNetwork network) {
        this(UidHandover.of(uid), network);
    }

    private SparkTrainRegressionModel(UidHandover handover, FittedNetwork network) {
        super();
        this.uid = handover.take();
        this.network = network;
        ParamDefaults.set(this, true);
    }

    @Override
    public String uid() {
        return uid != null ? uid : UidHandover.pending();
    }

    @Override
    public int numFeatures() {
        return network.numFeatures();
    }

    /** The fitted DL4J network as a ModelSerializer zip (a copy): what {@code data/model.zip} holds. */
    public byte[] modelZip() {
        return network.zip().clone();
    }

    @Override
    public double predict(Vector features) {
        return network.output(features)[0];
    }

    @Override
    public StructType validateAndTransformSchema(StructType schema, boolean fitting, DataType featuresDataType) {
        DataType features = FeaturesColumn.check(schema, getFeaturesCol());
        FeaturesColumn.checkSize(schema, getFeaturesCol(), numFeatures());
        return super.validateAndTransformSchema(schema, fitting, features);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        if (out.size() == dataset.schema().size()) {
            LoggerFactory.getLogger(getClass()).warn("{}: transform() does nothing: no output column is set", uid);
            return dataset.toDF();
        }
        return BatchScorer.transform(dataset, out, getFeaturesCol(), network,
                OutputColumns.regressor(dataset.schema(), out, getPredictionCol(), network.output()));
    }

    @Override
    public SparkTrainRegressionModel copy(ParamMap extra) {
        return copyValues(new SparkTrainRegressionModel(uid, network), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return ModelFiles.writer(this, network);
    }

    public static MLReader<SparkTrainRegressionModel> read() {
        return ModelFiles.reader(SparkTrainRegressionModel.class, SparkTrainRegressionModel::new);
    }

    public static SparkTrainRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "SparkTrainRegressionModel: uid=" + uid + ", numFeatures=" + numFeatures();
    }
}
