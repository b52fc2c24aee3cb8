package dev.sparktrain.experiment;

import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.config.ConfigException;
import dev.sparktrain.model.Dl4jModels;
import dev.sparktrain.model.Replica;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A trained model named by a path, as {@code evaluate} and {@code predict} take it: a run directory
 * (its model.zip and config.json), a model.zip, or a checkpoint directory (its model.zip, the config in
 * its metadata). Its parameters are placed into a model by name and shape.
 *
 * @param location   the path, qualified
 * @param modelZip   the DL4J model.zip holding the parameters
 * @param configJson the resolved config it was trained with, when the path has one
 */
public record TrainedModel(String location, String modelZip, Optional<String> configJson) {

    /** The model at {@code path} (any Hadoop URI); a path that is none of the three is a config error. */
    public static TrainedModel at(String path, Configuration hadoop) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            String where = fs.makeQualified(p).toString();
            if (fs.isFile(p)) {
                return new TrainedModel(where, where, Optional.empty());
            }
            if (fs.exists(new Path(p, Experiment.MODEL)) && fs.exists(new Path(p, Experiment.CONFIG))) {
                return new TrainedModel(where, where + "/" + Experiment.MODEL,
                        Optional.of(read(fs, new Path(p, Experiment.CONFIG))));
            }
            if (fs.exists(new Path(p, CheckpointStore.METADATA))) {
                String config = new CheckpointStore(where, 1, hadoop).load(p).configJson();
                return new TrainedModel(where, where + "/" + CheckpointStore.MODEL, Optional.of(config));
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("--model " + path + ": cannot read it: " + e.getMessage(), e);
        }
        throw new ConfigException("--model must be a run directory (with " + Experiment.MODEL + " and "
                + Experiment.CONFIG + "), a model.zip or a checkpoint directory (with " + CheckpointStore.METADATA
                + "), found '" + path + "'");
    }

    /** The saved parameters placed into {@code replica}'s layout; a mismatch names every parameter. */
    public INDArray paramsFor(Replica replica, Configuration hadoop) {
        try {
            Dl4jModels.Saved saved = Dl4jModels.saved(modelZip, hadoop);
            return replica.layout().placeFrom(saved.layout(), saved.params(), replica.params().dataType());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--model " + location + " does not fit the configured model: "
                    + e.getMessage(), e);
        }
    }

    private static String read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
