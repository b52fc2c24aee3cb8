package dev.sparktrain.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Where a run stands inside an epoch it has not finished: the epoch's minibatch steps done (a whole
 * number of rounds, so a resumed run asks for the next round exactly as the uninterrupted one did), and
 * what the epoch's figures need from the steps already taken: the summed minibatch losses and example
 * count (its train loss), and the training seconds spent on them (its samples/s).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EpochPosition(int stepsDone, double lossSum, long count, double trainSeconds) {

    public EpochPosition {
        if (stepsDone < 1 || count < 1) {
            throw new IllegalArgumentException("a position inside an epoch has steps and examples done, found "
                    + stepsDone + " steps and " + count + " examples");
        }
    }
}
