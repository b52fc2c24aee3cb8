package dev.sparktrain.experiment;

import com.typesafe.config.ConfigFactory;
import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ExperimentConfig;
import dev.sparktrain.model.Dl4jModels;
import dev.sparktrain.model.ParamLayout;
import dev.sparktrain.optim.StateDict;
import dev.sparktrain.train.TrainingSnapshot;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a run's parameters start ({@code train.init}): a run of the experiment ({@code latest},
 * {@code production}), or a path to a run directory, a model.zip or a checkpoint directory. The
 * parameters are matched by name and shape, and with {@code train.init-optimizer} the optimizer state
 * (moments, step counts) of the same algorithm is carried, under this config's hyper-parameters.
 *
 * @param description what {@code train.init} resolved to, for run.json and messages
 * @param parentRun   the id of the run it starts from, or null (a model.zip of unknown origin)
 * @param modelZip    the model whose parameters are the start
 * @param checkpoint  the checkpoint holding that model's optimizer state, or null
 * @param checkpointIsStore true when {@code checkpoint} is a run's checkpoint store (its newest valid
 *                    checkpoint is the one), false for one checkpoint directory
 */
public record WarmStart(String description, String parentRun, String modelZip, String checkpoint,
                        boolean checkpointIsStore) {

    /**
     * What {@code train.init} names; empty for scratch, and for {@code latest}/{@code production} before
     * the experiment has such a run (the first run of a schedule starts from scratch).
     */
    public static Optional<WarmStart> resolve(ExperimentConfig config, Experiment experiment, Configuration hadoop) {
        String init = config.init();
        if (init.equals(ExperimentConfig.SCRATCH)) {
            return Optional.empty();
        }
        if (init.equals(ExperimentConfig.LATEST) || init.equals(ExperimentConfig.PRODUCTION)) {
            Optional<String> id = experiment.pointer(init);
            if (id.isEmpty()) {
                return Optional.empty();
            }
            RunRecord run = experiment.run(id.get()).orElseThrow(() -> new ConfigException("train.init = " + init
                    + ": the pointer names run " + id.get() + ", which has no run.json in " + experiment.location()
                    + " (conf key train.init)"));
            String dir = experiment.runDir(id.get());
            return Optional.of(new WarmStart(init + ": run " + id.get() + " (" + dir + ")", id.get(),
                    dir + "/" + Experiment.MODEL, run.checkpoints(), true));
        }
        Path path = new Path(init);
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            String where = fs.makeQualified(path).toString();
            if (init.endsWith(".zip") && fs.isFile(path)) {
                return Optional.of(new WarmStart(where, null, where, null, false));
            }
            if (fs.exists(new Path(path, Experiment.RECORD))) {
                RunRecord run = Experiment.readRecord(fs, new Path(path, Experiment.RECORD));
                return Optional.of(new WarmStart(where, run.runId(), where + "/" + Experiment.MODEL,
                        run.checkpoints(), true));
            }
            if (fs.exists(new Path(path, CheckpointStore.METADATA))) {
                return Optional.of(new WarmStart(where, null, where + "/" + CheckpointStore.MODEL, where, false));
            }
        } catch (IOException e) {
            throw new ConfigException("train.init = " + init + ": cannot read it: " + e.getMessage()
                    + " (conf key train.init)", e);
        }
        throw new ConfigException("train.init must be scratch, latest, production, or a run directory (with "
                + Experiment.RECORD + "), a model.zip or a checkpoint directory (with " + CheckpointStore.METADATA
                + "), found '" + init + "' (conf key train.init)");
    }

    /**
     * The starting point for a model of {@code layout} (flat parameters of {@code dtype}): the saved
     * parameters placed by name, and with {@code carryOptimizer} the saved optimizer state of
     * {@code optimizerType} under {@code fresh}'s groups (this config's hyper-parameters).
     */
    public TrainingSnapshot start(ParamLayout layout, DataType dtype, boolean carryOptimizer, String optimizerType,
                                  StateDict fresh, long seed, String configJson, Configuration hadoop) {
        INDArray params;
        StateDict state = null;
        if (carryOptimizer) {
            TrainingSnapshot saved = savedCheckpoint(hadoop);
            String savedType = ConfigFactory.parseString(saved.configJson()).getString("optimizer.type");
            if (!savedType.equals(optimizerType)) {
                throw new ConfigException("train.init-optimizer = true carries the optimizer state of the same "
                        + "optimizer: " + description + " used " + savedType + ", this run " + optimizerType
                        + " (conf key train.init-optimizer)");
            }
            params = placed(saved(modelZip, hadoop).layout(), saved.params(), layout, dtype);
            state = carried(saved.optimizerState(), fresh, layout);
        } else {
            Dl4jModels.Saved model = saved(modelZip, hadoop);
            params = placed(model.layout(), model.params(), layout, dtype);
        }
        return new TrainingSnapshot(0, 0, params, state, Map.of(), seed, configJson, List.of());
    }

    private TrainingSnapshot savedCheckpoint(Configuration hadoop) {
        if (checkpoint == null) {
            throw new ConfigException("train.init-optimizer = true needs a checkpoint (it holds the optimizer "
                    + "state): " + description + " is a model.zip alone (conf key train.init-optimizer)");
        }
        CheckpointStore store = new CheckpointStore(checkpoint, 1, hadoop);
        try {
            Optional<TrainingSnapshot> s = checkpointIsStore ? store.loadLatest()
                    : Optional.of(store.load(new Path(checkpoint)));
            return s.orElseThrow(() -> new ConfigException("train.init-optimizer = true: " + description
                    + " has no valid checkpoint in " + checkpoint + " (checkpoint.every-epochs = 0?) (conf key "
                    + "train.init-optimizer)"));
        } catch (IOException e) {
            throw new ConfigException("train.init-optimizer = true: cannot read the checkpoint " + checkpoint + ": "
                    + e.getMessage() + " (conf key train.init-optimizer)", e);
        }
    }

    private Dl4jModels.Saved saved(String zip, Configuration hadoop) {
        try {
            return Dl4jModels.saved(zip, hadoop);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("train.init = " + description + ": " + e.getMessage() + " (conf key train.init)",
                    e);
        }
    }

    private INDArray placed(ParamLayout source, INDArray sourceParams, ParamLayout target, DataType dtype) {
        try {
            return target.placeFrom(source, sourceParams, dtype);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("train.init = " + description + ": " + e.getMessage() + " (conf key train.init)",
                    e);
        }
    }

    /** The saved buffers and steps of {@code layout}'s parameters, under {@code fresh}'s groups. */
    private static StateDict carried(StateDict saved, StateDict fresh, ParamLayout layout) {
        Map<String, Long> steps = new HashMap<>();
        Map<String, INDArray> buffers = new HashMap<>();
        for (ParamLayout.Segment s : layout.segments()) {
            if (saved.steps().containsKey(s.name())) {
                steps.put(s.name(), saved.steps().get(s.name()));
            }
            saved.buffers().forEach((k, v) -> {
                if (k.startsWith(s.name() + "/")) {
                    buffers.put(k, v);
                }
            });
        }
        return new StateDict(fresh.groups(), steps, buffers);
    }
}
