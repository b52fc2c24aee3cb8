package dev.sparktrain.run;

import dev.sparktrain.experiment.RunRecord;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.StateDict;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.TrainingSnapshot;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * What a run gives back: its id, how it ended ({@link RunOutcome}) and its run.json record; when it
 * trained, the model it trained ({@code spec} and the final parameters), its metrics history, the final
 * optimizer state (a state dict, as a checkpoint holds it) and why it stopped early (null when it ran
 * all its epochs). {@code modelLocation} is the run's model.zip (for a run that did not train: the
 * model.zip of the finished run it refers to). {@code spec} and {@code snapshot} are null when nothing
 * was trained.
 */
public record TrainingResult(String runId, RunOutcome outcome, RunRecord record, ModelSpec spec,
                             TrainingSnapshot snapshot, String stopReason, String modelLocation) {

    /** The final flat parameter vector. */
    public INDArray params() {
        return trained().params();
    }

    /** One entry per epoch, as metrics.jsonl holds them. */
    public List<EpochMetrics> history() {
        return trained().history();
    }

    public StateDict optimizerState() {
        return trained().optimizerState();
    }

    /** The trained model, a new replica holding the final parameters (its DL4J network: network() or graph()). */
    public Replica model() {
        Replica r = new Replica(spec);
        r.setParams(trained().params());
        return r;
    }

    /** Whether production now holds this run's model. */
    public boolean promoted() {
        return outcome == RunOutcome.PROMOTED;
    }

    private TrainingSnapshot trained() {
        if (snapshot == null) {
            throw new IllegalStateException("run " + runId + " did not train (" + outcome + "): see record()");
        }
        return snapshot;
    }
}
