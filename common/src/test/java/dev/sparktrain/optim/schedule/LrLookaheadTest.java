package dev.sparktrain.optim.schedule;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The lookahead gives the lrs and momenta the live scheduler will set over the next k steps. */
class LrLookaheadTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"step", "cosine", "onecycle", "sequential"})
    void lookaheadMatchesSteppingTheLiveScheduler(String type) {
        Map<String, Object> spec = switch (type) {
            case "step" -> Map.of("type", "step", "step_size", 3, "gamma", 0.5);
            case "cosine" -> Map.of("type", "cosine", "T_max", 7, "eta_min", 0.001);
            case "onecycle" -> Map.of("type", "onecycle", "max_lr", 0.2, "total_steps", 40);
            default -> Map.of("type", "sequential", "milestones", List.of(4), "schedulers", List.of(
                    Map.of("type", "linear", "total_iters", 4), Map.of("type", "exponential", "gamma", 0.9)));
        };
        Function<ScheduleTarget, LrScheduler> factory = t -> Schedulers.fromSpec(t, spec);
        ScheduleTarget live = new ArrayTarget(new double[]{0.1, 0.01}, new double[]{0.9, 0.9}, false);
        LrScheduler scheduler = factory.apply(live);
        for (int round = 0; round < 4; round++) {
            int k = 5;
            LrLookahead.Values next = LrLookahead.next(k, live, scheduler.stateDict(), factory);
            for (int i = 0; i < k; i++) {
                assertArrayEquals(new double[]{live.lr(0), live.lr(1)}, next.lrs()[i], 1e-15, "round " + round + " step " + i);
                assertArrayEquals(new double[]{live.momentum(0), live.momentum(1)}, next.momenta()[i], 1e-15);
                scheduler.step();
            }
        }
    }
}
