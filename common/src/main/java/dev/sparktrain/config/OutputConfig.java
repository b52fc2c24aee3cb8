package dev.sparktrain.config;

/** Run directory (metrics, resolved config, final model) and checkpoint settings. */
public record OutputConfig(String dir, String checkpointDir, int checkpointEveryEpochs, int checkpointKeep) {

    static OutputConfig read(ConfigReader r) {
        String dir = r.string("output.dir");
        if (dir.isBlank()) {
            throw ConfigException.badValue("output.dir", "a directory", "''");
        }
        String ckpt = r.string("checkpoint.dir");
        if (ckpt.isBlank()) {
            ckpt = dir.replaceAll("/+$", "") + "/checkpoints";
        }
        return new OutputConfig(dir, ckpt, r.nonNegativeInt("checkpoint.every-epochs"),
                r.positiveInt("checkpoint.keep"));
    }
}
