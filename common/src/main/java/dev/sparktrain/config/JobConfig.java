package dev.sparktrain.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.sparktrain.optim.OptimizerSpec;

/** The whole resolved and validated job configuration. Immutable. */
public record JobConfig(DataConfig data, ModelConfig model, TrainConfig train, OptimizerSpec optimizer,
                        SchedulerConfig scheduler, EarlyStoppingConfig earlyStopping, OutputConfig output,
                        ExperimentConfig experiment, PredictConfig predict, SparkConfig spark,
                        ProgressConfig progress, DeviceConfig device, Config resolved) {

    /** Validates a resolved config (defaults already merged in). */
    public static JobConfig from(Config resolved) {
        ConfigReader r = new ConfigReader(resolved);
        return new JobConfig(DataConfig.read(r), ModelConfig.read(r), TrainConfig.read(r),
                OptimizerReader.read(r), SchedulerConfig.read(r), EarlyStoppingConfig.read(r), OutputConfig.read(r),
                ExperimentConfig.read(r), PredictConfig.read(r), SparkConfig.read(r), ProgressConfig.read(r),
                DeviceConfig.read(r), resolved);
    }

    /** The resolved config as formatted JSON (what runs and checkpoints record). */
    public String renderJson() {
        return resolved.root().render(ConfigRenderOptions.concise().setFormatted(true));
    }

    /** The sections that decide the trained model; output, checkpoints, Spark, promotion and lock do not. */
    private static final java.util.List<String> MODEL_SECTIONS = java.util.List.of("data.", "model.", "loss", "train.",
            "optimizer.", "scheduler.", "early-stopping.");
    /** Keys of those sections that do not change what is trained: how this invocation starts. */
    private static final java.util.Set<String> INVOCATION_KEYS = java.util.Set.of("train.resume",
            "train.skip-if-unchanged");

    /**
     * SHA-256 of every resolved value that decides the trained model (data, model, loss, train but
     * resume and skip-if-unchanged, optimizer, scheduler, early stopping), one sorted "key=value" line
     * each: equal digests train the same model from the same data.
     */
    public String modelDigest() {
        java.util.TreeMap<String, String> values = new java.util.TreeMap<>();
        resolved.entrySet().forEach(e -> {
            String k = e.getKey();
            if (MODEL_SECTIONS.stream().anyMatch(k::startsWith) && !INVOCATION_KEYS.contains(k)) {
                values.put(k, e.getValue().render(ConfigRenderOptions.concise()));
            }
        });
        StringBuilder s = new StringBuilder();
        values.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        return org.apache.commons.codec.digest.DigestUtils.sha256Hex(s.toString());
    }

    /** A copy with one key changed, validated again. */
    public JobConfig with(String key, Object value) {
        return from(resolved.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(value)));
    }
}
