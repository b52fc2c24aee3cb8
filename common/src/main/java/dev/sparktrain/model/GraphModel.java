package dev.sparktrain.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

import java.util.List;

/**
 * A non-sequential model ready to instantiate: DL4J's graph configuration, the type of each input
 * in the order of {@link ComputationGraphConfiguration#getNetworkInputs()} (DL4J's configuration does
 * not keep them, and the summary needs them), and the title its summary prints. Made by
 * {@link GraphBuilder}; {@code new Replica(model)} gives a trainable copy.
 */
public record GraphModel(String title, ComputationGraphConfiguration configuration, List<InputType> inputTypes) {
    public GraphModel {
        inputTypes = List.copyOf(inputTypes);
        if (inputTypes.size() != configuration.getNetworkInputs().size()) {
            throw new IllegalArgumentException(inputTypes.size() + " input types for the inputs "
                    + configuration.getNetworkInputs());
        }
    }
}
