package dev.sparktrain.optim.schedule;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stateDict/loadStateDict: 10 steps, state through JSON (Jackson), loaded into a fresh scheduler on a
 * fresh target whose lr and momentum are restored too (as a PyTorch user restores the optimizer), then
 * 10 more steps must equal an uninterrupted 20-step run exactly. Also: bad states change nothing.
 */
class SchedulerStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] METRICS = {1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7,
            0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6};

    static Stream<Object[]> specs() {
        return Stream.of(
                new Object[] {"step", Map.of("type", "step", "step_size", 3, "gamma", 0.5)},
                new Object[] {"multistep", Map.of("type", "multistep", "milestones", List.of(4, 9, 9, 13))},
                new Object[] {"exponential", Map.of("type", "exponential", "gamma", 0.9)},
                new Object[] {"cosine", Map.of("type", "cosine", "T_max", 7, "eta_min", 0.001)},
                new Object[] {"linear", Map.of("type", "linear", "start_factor", 0.2, "total_iters", 15)},
                new Object[] {"onecycle", Map.of("type", "onecycle", "max_lr", List.of(0.5, 0.05), "total_steps", 20,
                        "three_phase", true)},
                new Object[] {"onecycle_linear", Map.of("type", "onecycle", "max_lr", 0.5, "epochs", 4,
                        "steps_per_epoch", 5, "anneal_strategy", "linear")},
                new Object[] {"plateau", Map.of("type", "plateau", "patience", 1, "cooldown", 2, "factor", 0.5,
                        "min_lr", List.of(0.02, 0.0))},
                new Object[] {"sequential", Map.of("type", "sequential", "milestones", List.of(5, 12), "schedulers",
                        List.of(Map.of("type", "linear", "start_factor", 0.1, "total_iters", 5),
                                Map.of("type", "cosine", "T_max", 7),
                                Map.of("type", "multistep", "milestones", List.of(2, 4))))});
    }

    private static void step(LrScheduler s, int t) {
        s.step(METRICS[t]);
    }

    private static double[][] record(LrScheduler s, ArrayTarget target, int from, int to) {
        List<double[]> rows = new ArrayList<>();
        for (int t = from; t < to; t++) {
            step(s, t);
            double[] row = new double[4];
            System.arraycopy(target.lrs, 0, row, 0, 2);
            System.arraycopy(target.momenta, 0, row, 2, 2);
            rows.add(row);
        }
        return rows.toArray(new double[0][]);
    }

    private static Map<String, Object> viaJson(Map<String, Object> state) throws Exception {
        return JSON.readValue(JSON.writeValueAsString(state), new TypeReference<Map<String, Object>>() { });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void resumedRunEqualsUninterruptedRun(String name, Map<String, Object> spec) throws Exception {
        ArrayTarget whole = ArrayTarget.sgd();
        LrScheduler uninterrupted = Schedulers.fromSpec(whole, spec);
        double[][] expected = record(uninterrupted, whole, 0, 20);

        ArrayTarget first = ArrayTarget.sgd();
        LrScheduler before = Schedulers.fromSpec(first, spec);
        record(before, first, 0, 10);
        Map<String, Object> saved = viaJson(before.stateDict());

        ArrayTarget fresh = ArrayTarget.sgd();
        LrScheduler resumed = Schedulers.fromSpec(fresh, spec);
        resumed.loadStateDict(saved);
        assertArrayEquals(before.lastLr(), resumed.lastLr(), name + ": lastLr after load");
        double[] lastLr = resumed.lastLr();
        for (int g = 0; g < 2; g++) {
            fresh.setLr(g, lastLr[g]);
            fresh.setMomentum(g, first.momentum(g));
        }
        double[][] actual = record(resumed, fresh, 10, 20);
        for (int t = 0; t < 10; t++) {
            assertArrayEquals(expected[10 + t], actual[t], name + ": step " + (11 + t));
        }
        assertEquals(JSON.writeValueAsString(uninterrupted.stateDict()), JSON.writeValueAsString(resumed.stateDict()));
    }

    /** Without loading the state, the fresh scheduler would not continue the run: the test can fail. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void freshSchedulerDoesNotContinueWithoutTheState(String name, Map<String, Object> spec) {
        ArrayTarget whole = ArrayTarget.sgd();
        double[][] expected = record(Schedulers.fromSpec(whole, spec), whole, 0, 20);
        ArrayTarget fresh = ArrayTarget.sgd();
        LrScheduler unloaded = Schedulers.fromSpec(fresh, spec);
        double[][] actual = record(unloaded, fresh, 10, 20);
        boolean differs = false;
        for (int t = 0; t < 10; t++) {
            differs |= !java.util.Arrays.equals(expected[10 + t], actual[t]);
        }
        assertTrue(differs, name);
    }

    private static Map<String, Object> withThreeGroups(Map<String, Object> state) {
        Map<String, Object> bad = new LinkedHashMap<>(state);
        for (String key : List.of("base_lrs", "min_lrs")) {
            if (bad.containsKey(key)) {
                bad.put(key, List.of(0.1, 0.01, 0.001));
            }
        }
        return bad;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void groupCountMismatchIsRejectedBeforeChangingAnything(String name, Map<String, Object> spec) throws Exception {
        ArrayTarget target = ArrayTarget.sgd();
        LrScheduler s = Schedulers.fromSpec(target, spec);
        record(s, target, 0, 3);
        Map<String, Object> other = Schedulers.fromSpec(ArrayTarget.sgd(), spec).stateDict();
        Map<String, Object> bad = withThreeGroups(viaJson(other));
        if (bad.containsKey("_schedulers")) { // SequentialLR: the last child is wrong, the first ones fine
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> children = new ArrayList<>((List<Map<String, Object>>) bad.get("_schedulers"));
            children.set(children.size() - 1, withThreeGroups(children.get(children.size() - 1)));
            bad.put("_schedulers", children);
        }
        String before = JSON.writeValueAsString(s.stateDict());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(bad));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
        assertEquals(before, JSON.writeValueAsString(s.stateDict()), name + ": state changed by a rejected load");
    }

    @Test
    void wrongValueKindChangesNothing() throws Exception {
        LrScheduler s = Schedulers.fromSpec(ArrayTarget.sgd(), Map.of("type", "step", "step_size", 2));
        String before = JSON.writeValueAsString(s.stateDict());
        Map<String, Object> bad = new LinkedHashMap<>(s.stateDict());
        bad.put("last_epoch", 7);
        bad.put("gamma", "half");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(bad));
        assertTrue(e.getMessage().contains("gamma"), e.getMessage());
        assertEquals(before, JSON.writeValueAsString(s.stateDict()));
    }

    @Test
    void plateauStateCarriesInfinityThroughJson() throws Exception {
        ReduceLROnPlateau s = Schedulers.reduceLROnPlateau(ArrayTarget.sgd());
        Map<String, Object> saved = viaJson(s.stateDict());
        assertEquals("Infinity", saved.get("best"));
        ReduceLROnPlateau loaded = Schedulers.reduceLROnPlateau(ArrayTarget.sgd(), PlateauOptions.defaults().mode("max"));
        loaded.loadStateDict(saved);
        assertEquals(Double.POSITIVE_INFINITY, loaded.stateDict().get("best"));
        assertEquals("min", loaded.stateDict().get("mode"));
        assertEquals(Double.POSITIVE_INFINITY, loaded.stateDict().get("mode_worse"));
    }

    @Test
    void sequentialStateNeedsOneStatePerScheduler() throws Exception {
        Map<String, Object> spec = Map.of("type", "sequential", "milestones", List.of(3), "schedulers",
                List.of(Map.of("type", "exponential", "gamma", 0.5), Map.of("type", "step", "step_size", 2)));
        LrScheduler s = Schedulers.fromSpec(ArrayTarget.sgd(), spec);
        Map<String, Object> bad = new LinkedHashMap<>(viaJson(s.stateDict()));
        bad.put("_schedulers", List.of(((List<?>) bad.get("_schedulers")).get(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(bad));
        assertEquals("SequentialLR state has 1 schedulers but this SequentialLR has 2", e.getMessage());
    }
}
