package dev.sparktrain.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The training Params that the estimators and their models share, each mapped to one key of a job
 * config ({@code defaults.conf}): what the {@code Trainer} runs when an estimator fits. A Param that is
 * set overrides the {@link #config()} Param's value of its key; one that is not set takes the config's
 * value, or, where the config does not give that key, the Param's default (that of {@code defaults.conf},
 * but for the model, the regressor's loss, validationFraction and outputDir). A fitted model carries
 * the values it was trained with.
 *
 * <p>Spark finds Params through public methods returning them, and compares them by owner uid and name,
 * so each method here returns a new {@code Param} equal to the last: the Scala traits' {@code val}s,
 * written once for four Java classes.
 */
public interface SparkTrainParams extends Params {

    /** {@code config}: a whole job config in HOCON, e.g. {@code "train { epochs = 10 }, early-stopping { patience = 2 }"}. */
    default Param<String> config() {
        return new Param<>(this, "config", "a job config in HOCON: any key of sparktrain's defaults.conf (scheduler, "
                + "early-stopping, optimizer groups, ...); the typed Params that are set override its keys, those not "
                + "set take its values (default: \"\", no config)", ParamChecks.jobConfig());
    }

    default String getConfig() {
        return getOrDefault(config());
    }

    /** {@code model}: the network (model.type, or model.type = dl4j with model.path). */
    default Param<String> model() {
        return new Param<>(this, "model", "the network: a sparktrain model type (mlp: hiddenLayers wide ReLU layers "
                + "and an output layer for the loss; sequential: model.layers of the config), a DL4J "
                + "MultiLayerConfiguration or ComputationGraphConfiguration as JSON text, or the URI of a DL4J JSON "
                + "or model.zip (whose parameters are the starting point)", ParamChecks.nonBlank());
    }

    default String getModel() {
        return getOrDefault(model());
    }

    /** {@code hiddenLayers}: the mlp's hidden widths (model.hidden). */
    default IntArrayParam hiddenLayers() {
        return new IntArrayParam(this, "hiddenLayers", "the widths of the mlp's hidden layers, input side first "
                + "(model.hidden); [] = no hidden layer", ParamChecks.allPositive());
    }

    default int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers());
    }

    /** {@code loss}: the training loss by PyTorch's functional name (loss). */
    default Param<String> loss() {
        return new Param<>(this, "loss", "the loss by PyTorch's functional name (cross_entropy, nll, bce, "
                + "bce_with_logits, mse, l1, smooth_l1, huber, ...), or a HOCON object with its arguments "
                + "('{ type = smooth_l1, beta = 0.5 }'); \"\" = the built-in softmax + cross-entropy (loss)",
                ParamChecks.lossSpec());
    }

    default String getLoss() {
        return getOrDefault(loss());
    }

    /** {@code optimizer}: torch.optim's algorithm (optimizer.type and its arguments). */
    default Param<String> optimizer() {
        return new Param<>(this, "optimizer", "the optimizer as torch.optim names it (sgd, adam, adamw, rmsprop, "
                + "adagrad, nadam, radam) with torch's defaults, or a HOCON object with its arguments "
                + "('{ type = sgd, momentum = 0.9, nesterov = true }'); its lr is learningRate (optimizer)",
                ParamChecks.nonBlank());
    }

    default String getOptimizer() {
        return getOrDefault(optimizer());
    }

    /** {@code learningRate}: the optimizer's lr (optimizer.lr). */
    default DoubleParam learningRate() {
        return new DoubleParam(this, "learningRate", "the optimizer's learning rate (optimizer.lr) (> 0)",
                ParamValidators.gt(0));
    }

    default double getLearningRate() {
        return (Double) getOrDefault(learningRate());
    }

    /** {@code epochs}: passes over the training rows (train.epochs). */
    default IntParam epochs() {
        return new IntParam(this, "epochs", "passes over the training rows (train.epochs) (>= 1)",
                ParamValidators.gtEq(1));
    }

    default int getEpochs() {
        return (Integer) getOrDefault(epochs());
    }

    /** {@code batchSize}: minibatch size per worker (train.batch-size). */
    default IntParam batchSize() {
        return new IntParam(this, "batchSize", "minibatch size per worker; the global batch is batchSize * workers "
                + "(train.batch-size) (>= 1)", ParamValidators.gtEq(1));
    }

    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    /** {@code workers}: data shards and parallel replicas, P (train.workers). */
    default IntParam workers() {
        return new IntParam(this, "workers", "data shards and parallel model replicas, P (train.workers) (>= 1)",
                ParamValidators.gtEq(1));
    }

    default int getWorkers() {
        return (Integer) getOrDefault(workers());
    }

    /** {@code averagingFrequency}: k, local steps per round (train.averaging-frequency). */
    default IntParam averagingFrequency() {
        return new IntParam(this, "averagingFrequency", "minibatches per worker per round, k: 1 = synchronous SGD, "
                + "more = parameter averaging every k local steps (train.averaging-frequency) (>= 1)",
                ParamValidators.gtEq(1));
    }

    default int getAveragingFrequency() {
        return (Integer) getOrDefault(averagingFrequency());
    }

    /** {@code seed}: the root seed of initialization and data order (train.seed). */
    default LongParam seed() {
        return new LongParam(this, "seed", "the root seed: model initialization, the validation split and every "
                + "data order derive from it (train.seed)");
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    /** {@code validationFraction}: rows held out for the per-epoch validation figures (data.val-fraction). */
    default DoubleParam validationFraction() {
        return new DoubleParam(this, "validationFraction", "the fraction of rows held out, by a seeded hash of each "
                + "row, for the validation figures of every epoch (val_loss, val_accuracy; early stopping); they do not "
                + "train. 0 = none held out: the training rows themselves are evaluated (data.val-fraction) (in [0, 1))",
                ParamValidators.inRange(0, 1, true, false));
    }

    default double getValidationFraction() {
        return (Double) getOrDefault(validationFraction());
    }

    /** {@code outputDir}: the experiment directory of the fit (output.dir). */
    default Param<String> outputDir() {
        return new Param<>(this, "outputDir", "the experiment directory each fit is a run of (output.dir: run.json, "
                + "metrics.jsonl, model.zip, checkpoints; any Hadoop URI); \"\" = a temporary directory removed after "
                + "the fit");
    }

    default String getOutputDir() {
        return getOrDefault(outputDir());
    }
}
