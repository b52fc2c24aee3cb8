package dev.sparktrain.ml;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * The setters of the training Params ({@link SparkTrainParams}), on the estimators: each returns the
 * estimator, so calls chain. Values are checked when set, with the Param's rule.
 *
 * @param <E> the estimator
 */
@SuppressWarnings("unchecked")
public interface SparkTrainEstimatorParams<E extends SparkTrainEstimatorParams<E>> extends SparkTrainParams {

    default E setConfig(String hocon) {
        return (E) set(config(), hocon);
    }

    default E setModel(String model) {
        return (E) set(model(), model);
    }

    /** The DL4J configuration as it is (its JSON is the Param's value); its updater is replaced by the optimizer. */
    default E setModel(MultiLayerConfiguration conf) {
        return setModel(conf.toJson());
    }

    /** The DL4J graph configuration as it is (its JSON is the Param's value). */
    default E setModel(ComputationGraphConfiguration conf) {
        return setModel(conf.toJson());
    }

    default E setHiddenLayers(int... widths) {
        return (E) set(hiddenLayers(), widths);
    }

    default E setLoss(String loss) {
        return (E) set(loss(), loss);
    }

    default E setOptimizer(String optimizer) {
        return (E) set(optimizer(), optimizer);
    }

    default E setLearningRate(double lr) {
        return (E) set(learningRate(), lr);
    }

    default E setEpochs(int epochs) {
        return (E) set(epochs(), epochs);
    }

    default E setBatchSize(int batchSize) {
        return (E) set(batchSize(), batchSize);
    }

    default E setWorkers(int workers) {
        return (E) set(workers(), workers);
    }

    default E setAveragingFrequency(int k) {
        return (E) set(averagingFrequency(), k);
    }

    default E setSeed(long seed) {
        return (E) set(seed(), seed);
    }

    default E setValidationFraction(double fraction) {
        return (E) set(validationFraction(), fraction);
    }

    default E setOutputDir(String uri) {
        return (E) set(outputDir(), uri);
    }
}
