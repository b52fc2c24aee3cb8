package dev.sparktrain.train;

import dev.sparktrain.optim.StateDict.GroupState;

import java.io.Serializable;
import java.util.List;

/**
 * A round where the workers keep the parameters and the optimizer state ({@link StateOwner}): only
 * control travels. Which minibatches ({@code steps} from {@code firstStep} of {@code epoch}), whether
 * the round is synchronous (one minibatch, then one optimizer step over the summed gradient) or
 * averaging ({@code steps} inner steps, then the replicas' parameters and states averaged), the param
 * groups with the hyper-parameters the driver's schedulers left (groups added since the last round
 * included), and, for averaging with a per-step schedule, the scheduled groups' lr and momentum for
 * each inner step (null otherwise).
 */
public record RoundControl(int epoch, int firstStep, int steps, boolean synchronous, List<GroupState> groups,
                           double[][] stepLrs, double[][] stepMomenta) implements Serializable {
    public RoundControl {
        if (steps < 1 || (synchronous && steps != 1)) {
            throw new IllegalArgumentException("a round runs 1 step (synchronous) or more (averaging), found " + steps);
        }
        if ((stepLrs == null) != (stepMomenta == null)) {
            throw new IllegalArgumentException("per-step lrs and momenta come together");
        }
        groups = List.copyOf(groups);
    }
}
