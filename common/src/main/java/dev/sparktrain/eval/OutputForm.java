package dev.sparktrain.eval;

/**
 * What a network's raw output holds, so that probabilities and values can be read off it: the loss
 * decides (cross-entropy takes logits, NLL and KL divergence log-probabilities, BCE probabilities,
 * Poisson NLL with {@code log_input} the log of the rate).
 */
public enum OutputForm {
    PROBABILITIES, LOGITS, LOG_PROBABILITIES, VALUES, LOG_VALUES
}
