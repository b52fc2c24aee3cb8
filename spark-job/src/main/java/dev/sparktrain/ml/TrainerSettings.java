package dev.sparktrain.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.trainer.Trainer;
import org.apache.spark.ml.param.Param;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The training Params as a {@code Trainer}: the {@code config} Param's job config, then each typed
 * Param on its key when it is set, or when the config does not give that key (then its default).
 * {@link #config()} is the job config so far, for the fit to read the model and loss before it adds
 * what the data decides (classes, label kind, output directory).
 */
final class TrainerSettings {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private final SparkTrainParams p;
    private final Config user;
    private final Trainer.Builder builder;
    private String dl4jJson;

    private TrainerSettings(SparkTrainParams p) {
        this.p = p;
        this.user = ConfigFactory.parseString(p.getConfig());
        this.builder = Trainer.builder(ConfigLoader.parse(p.getConfig(), List.of()));
        typed();
    }

    static TrainerSettings of(SparkTrainParams p) {
        return new TrainerSettings(p);
    }

    /** The builder with everything applied so far. */
    Trainer.Builder builder() {
        return builder;
    }

    /** The job config the builder holds now, checked. */
    JobConfig config() {
        return builder.build().config();
    }

    /** The DL4J configuration JSON the model Param gave as text; null when it gave none (a type, a URI). */
    String dl4jJson() {
        return dl4jJson;
    }

    /** Whether the config Param gives {@code key} itself. */
    boolean configured(String key) {
        return user.hasPath(key);
    }

    /** Sets {@code key} to {@code value} when {@code param} is set or the config Param lacks the key. */
    <T> void apply(Param<T> param, String key, Object value) {
        if (p.isSet(param) || !user.hasPath(key)) {
            builder.set(key, value);
        }
    }

    private void typed() {
        apply(p.epochs(), "train.epochs", p.getEpochs());
        apply(p.batchSize(), "train.batch-size", p.getBatchSize());
        apply(p.workers(), "train.workers", p.getWorkers());
        apply(p.averagingFrequency(), "train.averaging-frequency", p.getAveragingFrequency());
        apply(p.seed(), "train.seed", p.getSeed());
        apply(p.validationFraction(), "data.val-fraction", p.getValidationFraction());
        apply(p.hiddenLayers(), "model.hidden", Arrays.stream(p.getHiddenLayers()).boxed().toList());
        if (p.isSet(p.model()) || !user.hasPath("model.type")) {
            model(p.getModel().trim());
        }
        if ((p.isSet(p.loss()) || !user.hasPath("loss")) && !p.getLoss().isBlank()) {
            builder.set("loss", ParamChecks.hoconObject("loss", p.getLoss()));
        }
        optimizer();
    }

    private void model(String model) {
        if (model.startsWith("{")) {
            dl4jJson = model;
            if (model.contains("\"vertices\"")) {
                builder.model(ComputationGraphConfiguration.fromJson(model));
            } else {
                builder.model(MultiLayerConfiguration.fromJson(model));
            }
        } else if (NAME.matcher(model).matches()) {
            builder.set("model.type", model);
        } else {
            builder.dl4jModel(model);
        }
    }

    /** The optimizer Param replaces the config's block; learningRate sets its lr either way. */
    private void optimizer() {
        boolean lr = p.isSet(p.learningRate());
        if (p.isSet(p.optimizer()) || !user.hasPath("optimizer")) {
            Object spec = ParamChecks.hoconObject("optimizer", p.getOptimizer());
            Map<String, Object> block = new LinkedHashMap<>();
            if (spec instanceof Map<?, ?> m) {
                m.forEach((k, v) -> block.put(k.toString(), v));
            } else {
                block.put("type", spec);
            }
            if (lr || !block.containsKey("lr")) {
                block.put("lr", p.getLearningRate());
            }
            builder.set("optimizer", block);
        } else if (lr || !user.hasPath("optimizer.lr")) {
            builder.set("optimizer.lr", p.getLearningRate());
        }
    }
}
