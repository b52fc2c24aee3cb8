package dev.sparktrain.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.model.Replica;
import dev.sparktrain.train.TrainingSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Where a failed or interrupted run continues: its own newest valid checkpoint, checked against the model. */
final class Resumption {
    private static final Logger LOG = LoggerFactory.getLogger(Resumption.class);

    private Resumption() {
    }

    /** The newest valid checkpoint of a run being resumed, or null when it has none yet. */
    static TrainingSnapshot latest(CheckpointStore store, Replica replica, String runId, JobConfig config,
                                   PrintStream console) {
        var latest = store.loadLatest();
        if (latest.isEmpty()) {
            console.println("resuming run " + runId + ": no valid checkpoint in " + store.location()
                    + " yet; starting it over");
            return null;
        }
        TrainingSnapshot s = latest.get();
        if (s.params().length() != replica.numParams()) {
            throw new IllegalStateException("checkpoint in " + store.location() + " has " + s.params().length()
                    + " parameters, but the configured " + config.model().type() + " model has " + replica.numParams());
        }
        if (s.midEpoch()) {
            console.printf(Locale.ROOT, "resuming run %s from %s in epoch %d after its step %d (step %d)%n", runId,
                    store.location(), s.epochsDone() + 1, s.position().stepsDone(), s.globalStep());
        } else {
            console.printf(Locale.ROOT, "resuming run %s from %s after epoch %d (step %d)%n", runId,
                    store.location(), s.epochsDone(), s.globalStep());
        }
        List<String> changed = changedKeys(s.configJson(), config.renderJson());
        if (!changed.isEmpty()) {
            LOG.warn("the config differs from the checkpoint's in {}: the resumed run will not end where "
                    + "an uninterrupted run of either config would", changed);
        }
        return s;
    }

    /** Keys whose values differ between two resolved configs, ignoring train.epochs and train.resume. */
    static List<String> changedKeys(String before, String after) {
        Config a = ConfigFactory.parseString(before);
        Config b = ConfigFactory.parseString(after);
        TreeSet<String> keys = new TreeSet<>();
        a.entrySet().forEach(e -> keys.add(e.getKey()));
        b.entrySet().forEach(e -> keys.add(e.getKey()));
        keys.removeAll(List.of("train.epochs", "train.resume"));
        return keys.stream()
                .filter(k -> !(a.hasPath(k) && b.hasPath(k) && a.getValue(k).unwrapped().equals(b.getValue(k).unwrapped())))
                .toList();
    }
}
