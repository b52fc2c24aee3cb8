package dev.sparktrain.config;

import com.typesafe.config.Config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code scheduler} block: the scheduler's spec (type plus its arguments with PyTorch's names,
 * checked when it is built) and whether it steps per epoch or per optimizer step.
 */
public record SchedulerConfig(Map<String, Object> spec, boolean perStep) implements Serializable {
    public static final Set<String> INTERVALS = Set.of("epoch", "step");

    /** Checked as the config file is (the spec's arguments when the scheduler is built), with its messages. */
    public SchedulerConfig {
        spec = Map.copyOf(spec);
        if (!(spec.get("type") instanceof String)) {
            throw ConfigException.badValue("scheduler.type", "a scheduler name", spec.get("type"));
        }
        if ("plateau".equals(spec.get("type")) && perStep) {
            throw ConfigException.badValue("scheduler.interval", "epoch for the plateau scheduler (it steps on the "
                    + "validation loss)", "step");
        }
    }

    public boolean enabled() {
        return !"none".equals(spec.get("type"));
    }

    static SchedulerConfig read(ConfigReader r) {
        Config c = r.raw().getConfig("scheduler");
        boolean perStep = r.choice("scheduler.interval", INTERVALS).equals("step");
        Map<String, Object> spec = new LinkedHashMap<>(c.root().unwrapped());
        spec.remove("interval");
        return new SchedulerConfig(spec, perStep);
    }
}
