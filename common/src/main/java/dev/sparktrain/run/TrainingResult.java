package dev.sparktrain.run;

import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.StateDict;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.TrainingSnapshot;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * What a finished run gives back: the model it trained ({@code spec} and the final parameters), its
 * metrics history, the final optimizer state (a state dict, as a checkpoint holds it), why it stopped
 * early (null when it ran all its epochs), and where the final model.zip was written.
 */
public record TrainingResult(ModelSpec spec, TrainingSnapshot snapshot, String stopReason, String modelLocation) {

    /** The final flat parameter vector. */
    public INDArray params() {
        return snapshot.params();
    }

    /** One entry per epoch, as metrics.jsonl holds them. */
    public List<EpochMetrics> history() {
        return snapshot.history();
    }

    public StateDict optimizerState() {
        return snapshot.optimizerState();
    }

    /** The trained model, a new replica holding the final parameters (its DL4J network: network() or graph()). */
    public Replica model() {
        Replica r = new Replica(spec);
        r.setParams(snapshot.params());
        return r;
    }
}
