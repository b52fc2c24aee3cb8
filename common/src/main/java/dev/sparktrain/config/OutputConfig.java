package dev.sparktrain.config;

/** Run directory (metrics, resolved config, final model) and checkpoint settings. */
public record OutputConfig(String dir, String checkpointDir, int checkpointEveryEpochs, int checkpointKeep) {

    /** Checked as the config file is, with its messages. */
    public OutputConfig {
        Check.nonBlank("output.dir", dir, "a directory");
        Check.nonBlank("checkpoint.dir", checkpointDir, "a directory");
        Check.nonNegative("checkpoint.every-epochs", checkpointEveryEpochs);
        Check.positive("checkpoint.keep", checkpointKeep);
    }

    /** With the default checkpoint directory, {@code <dir>/checkpoints}. */
    public OutputConfig(String dir, int checkpointEveryEpochs, int checkpointKeep) {
        this(dir, Check.nonBlank("output.dir", dir, "a directory").replaceAll("/+$", "") + "/checkpoints",
                checkpointEveryEpochs, checkpointKeep);
    }

    static OutputConfig read(ConfigReader r) {
        String dir = r.string("output.dir");
        String ckpt = r.string("checkpoint.dir");
        int every = r.intValue("checkpoint.every-epochs");
        int keep = r.intValue("checkpoint.keep");
        return ckpt.isBlank() ? new OutputConfig(dir, every, keep) : new OutputConfig(dir, ckpt, every, keep);
    }
}
