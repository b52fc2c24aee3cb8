package dev.sparktrain.ml;

import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML classifier that trains a sparktrain network, on the Spark cluster of its data, with
 * PyTorch's semantics: {@code fit} runs a {@code Trainer} as the command line does (same config keys,
 * checks and messages, one run of an experiment directory) and returns a
 * {@link SparkTrainClassificationModel}. Features are a vector column or an array of numbers; labels
 * are class indices in [0, classes). Params: those of {@link SparkTrainParams} (model, loss,
 * optimizer, learningRate, epochs, batchSize, workers, averagingFrequency, seed, validationFraction,
 * outputDir, or a whole job {@code config}), {@link #classes()}, and Spark's columns (featuresCol,
 * labelCol, predictionCol, rawPredictionCol, probabilityCol, thresholds). Works in a Pipeline and
 * under CrossValidator; saves and loads as a Pipeline stage (its Params only).
 */
public final class SparkTrainClassifier
        extends ProbabilisticClassifier<Vector, SparkTrainClassifier, SparkTrainClassificationModel>
        implements SparkTrainEstimatorParams<SparkTrainClassifier>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private String uid; // set after super(): see UidHandover

    public SparkTrainClassifier() {
        this(Identifiable.randomUID("sparkTrainClassifier"));
    }

    /** With the given uid (Spark's copy and load use this constructor). */
    public SparkTrainClassifier(String uid) {
        this(UidHandover.of(uid));
    }

    private SparkTrainClassifier(UidHandover handover) {
        super();
        this.uid = handover.take();
        ParamDefaults.set(this, false);
        setDefault(classes(), 0);
    }

    @Override
    public String uid() {
        return uid != null ? uid : UidHandover.pending();
    }

    /** {@code classes}: the number of classes (data.classes); 0 = the largest label + 1. */
    public IntParam classes() {
        return new IntParam(this, "classes", "the number of classes, the model's outputs (data.classes); 0 = from the "
                + "data: the largest label + 1 (or the DL4J configuration's outputs) (0 or >= 2)",
                ParamChecks.noneOrAtLeast(2));
    }

    public int getClasses() {
        return (Integer) getOrDefault(classes());
    }

    public SparkTrainClassifier setClasses(int classes) {
        return (SparkTrainClassifier) set(classes(), classes);
    }

    @Override
    public SparkTrainClassificationModel train(Dataset<?> dataset) {
        FittedNetwork net = Fitting.fit(this, dataset, getFeaturesCol(), getLabelCol(),
                new Fitting.Target(true, getClasses()));
        return new SparkTrainClassificationModel(uid(), net);
    }

    /** Features: a vector or an array of numbers (Spark's check takes the column's own type); the label a number. */
    @Override
    public StructType validateAndTransformSchema(StructType schema, boolean fitting, DataType featuresDataType) {
        DataType features = FeaturesColumn.check(schema, getFeaturesCol());
        if (fitting) {
            FeaturesColumn.checkLabel(schema, getLabelCol());
        }
        return super.validateAndTransformSchema(schema, fitting, features);
    }

    @Override
    public SparkTrainClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<SparkTrainClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static SparkTrainClassifier load(String path) {
        return read().load(path);
    }
}
