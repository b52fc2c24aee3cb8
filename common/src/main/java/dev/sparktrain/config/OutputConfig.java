package dev.sparktrain.config;

import java.util.regex.Pattern;

/**
 * The experiment directory ({@code output.dir}: its runs, pointers and lock), this run's id ("" = its
 * UTC start time) and checkpoint settings ({@code checkpointDir} "" = each run's own directory; inside
 * epochs every {@code checkpointEverySteps} steps and/or {@code checkpointEveryMinutes}, 0 = not).
 */
public record OutputConfig(String dir, String runId, String checkpointDir, int checkpointEveryEpochs,
                           int checkpointKeep, int checkpointEverySteps, double checkpointEveryMinutes) {
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Checked as the config file is, with its messages. */
    public OutputConfig {
        Check.nonBlank("output.dir", dir, "a directory");
        if (!runId.isEmpty() && !RUN_ID.matcher(runId).matches()) {
            throw ConfigException.badValue("output.run-id", "letters, digits, '.', '_' or '-' (at most 128, "
                    + "starting with a letter or digit), or \"\" for the start time", "'" + runId + "'");
        }
        Check.nonNegative("checkpoint.every-epochs", checkpointEveryEpochs);
        Check.positive("checkpoint.keep", checkpointKeep);
        Check.nonNegative("checkpoint.every-steps", checkpointEverySteps);
        Check.number("checkpoint.every-minutes", checkpointEveryMinutes, 0, 1e6, false);
    }

    /** Checkpoints at epoch ends only. */
    public OutputConfig(String dir, String runId, String checkpointDir, int checkpointEveryEpochs, int checkpointKeep) {
        this(dir, runId, checkpointDir, checkpointEveryEpochs, checkpointKeep, 0, 0);
    }

    /** A new run id for each run, checkpoints in each run's directory. */
    public OutputConfig(String dir, int checkpointEveryEpochs, int checkpointKeep) {
        this(dir, "", "", checkpointEveryEpochs, checkpointKeep);
    }

    /** Where run {@code id} checkpoints: {@code <runDir>/checkpoints}, or {@code <checkpoint.dir>/<id>}. */
    public String checkpointDir(String id, String runDir) {
        return checkpointDir.isBlank() ? runDir + "/checkpoints" : checkpointDir.replaceAll("/+$", "") + "/" + id;
    }

    static OutputConfig read(ConfigReader r) {
        return new OutputConfig(r.string("output.dir"), r.string("output.run-id").trim(), r.string("checkpoint.dir").trim(),
                r.intValue("checkpoint.every-epochs"), r.intValue("checkpoint.keep"), r.intValue("checkpoint.every-steps"),
                r.number("checkpoint.every-minutes"));
    }
}
