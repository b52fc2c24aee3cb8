package dev.sparktrain.config;

/**
 * What a run shows while it trains: on a terminal a live bar; otherwise one progress line every
 * {@code everySeconds} (0 = none) in the output.
 */
public record ProgressConfig(double everySeconds) {

    /** Checked as the config file is, with its messages. */
    public ProgressConfig {
        Check.number("progress.every-seconds", everySeconds, 0, 1e9, false);
    }

    static ProgressConfig read(ConfigReader r) {
        return new ProgressConfig(r.number("progress.every-seconds"));
    }
}
