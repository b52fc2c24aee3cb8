package dev.sparktrain.ml;

import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.LoggerFactory;

/**
 * A fitted {@link SparkTrainClassifier}: its DL4J network and the Params it was trained with. Its
 * {@code transform} appends rawPredictionCol (the network's output as a vector; a one-output network's
 * o as [-o, o]), probabilityCol (the output itself after a softmax layer, softmax(raw) after any
 * other, [1 - p, p] for a one-output sigmoid or logit) and predictionCol (the class index as a
 * double, by the largest probability, or by {@code thresholds} when set), scoring each partition in
 * minibatches with one network per executor thread, restored once per executor JVM. Features are a
 * vector or an array of the same width it was fit on ({@link #numFeatures()}). Saves and loads
 * ({@link #write()}, {@link #load}) as Spark ML's models do: metadata plus {@code data/model.zip}.
 */
public final class SparkTrainClassificationModel
        extends ProbabilisticClassificationModel<Vector, SparkTrainClassificationModel>
        implements SparkTrainParams, MLWritable {
    private static final long serialVersionUID = 1L;
    private String uid; // set after super(): see UidHandover
    private final FittedNetwork network;

    SparkTrainClassificationModel(String uid, FittedNetwork network) {
        this(UidHandover.of(uid), network);
    }

    private SparkTrainClassificationModel(UidHandover handover, FittedNetwork network) {
        super();
        this.uid = handover.take();
        this.network = network;
        ParamDefaults.set(this, false);
    }

    @Override
    public String uid() {
        return uid != null ? uid : UidHandover.pending();
    }

    @Override
    public int numClasses() {
        return network.output().classes();
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
    public Vector predictRaw(Vector features) {
        return Vectors.dense(network.output().raw(network.output(features)));
    }

    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        double[] p = network.output().probabilities(rawPrediction.toArray());
        if (rawPrediction instanceof DenseVector d && d.size() == p.length) {
            System.arraycopy(p, 0, d.values(), 0, p.length);
            return d;
        }
        return Vectors.dense(p);
    }

    /** The class of a raw prediction through its probabilities (a one-output network's raw [-o, o] needs them). */
    @Override
    public double raw2prediction(Vector rawPrediction) {
        return probability2prediction(Vectors.dense(network.output().probabilities(rawPrediction.toArray())));
    }

    @Override
    public double probability2prediction(Vector probability) {
        return NetworkOutput.prediction(probability.toArray(), checkedThresholds());
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
        return BatchScorer.transform(dataset, out, getFeaturesCol(), network, OutputColumns.classifier(
                dataset.schema(), out, getRawPredictionCol(), getProbabilityCol(), getPredictionCol(), network.output(),
                checkedThresholds()));
    }

    /** The thresholds when set (checked: one per class), else null. */
    private double[] checkedThresholds() {
        if (!isDefined(thresholds())) {
            return null;
        }
        double[] t = getThresholds();
        if (t.length != numClasses()) {
            throw new IllegalArgumentException("thresholds has " + t.length + " values, the model has " + numClasses()
                    + " classes");
        }
        return t;
    }

    /**
     * Spark's training-summary helper, declared by both Scala superclasses with different tuple types,
     * which Java sees as a clash; the raw type satisfies both (this model has no training summary).
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public SparkTrainClassificationModel copy(ParamMap extra) {
        return copyValues(new SparkTrainClassificationModel(uid, network), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return ModelFiles.writer(this, network);
    }

    public static MLReader<SparkTrainClassificationModel> read() {
        return ModelFiles.reader(SparkTrainClassificationModel.class, SparkTrainClassificationModel::new);
    }

    public static SparkTrainClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "SparkTrainClassificationModel: uid=" + uid + ", numClasses=" + numClasses() + ", numFeatures="
                + numFeatures();
    }
}
