package dev.sparktrain.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.sparktrain.optim.OptimizerSpec;

/** The whole resolved and validated job configuration. Immutable. */
public record JobConfig(DataConfig data, ModelConfig model, TrainConfig train, OptimizerSpec optimizer,
                        SchedulerConfig scheduler, EarlyStoppingConfig earlyStopping, OutputConfig output,
                        SparkConfig spark, Config resolved) {

    /** Validates a resolved config (defaults already merged in). */
    public static JobConfig from(Config resolved) {
        ConfigReader r = new ConfigReader(resolved);
        return new JobConfig(DataConfig.read(r), ModelConfig.read(r), TrainConfig.read(r),
                OptimizerReader.read(r), SchedulerConfig.read(r), EarlyStoppingConfig.read(r), OutputConfig.read(r),
                SparkConfig.read(r), resolved);
    }

    /** The resolved config as formatted JSON (what runs and checkpoints record). */
    public String renderJson() {
        return resolved.root().render(ConfigRenderOptions.concise().setFormatted(true));
    }

    /** A copy with one key changed, validated again. */
    public JobConfig with(String key, Object value) {
        return from(resolved.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(value)));
    }
}
