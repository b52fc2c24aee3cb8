package dev.sparktrain.optim.schedule;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schedulers.fromSpec's key checks, PyTorch's validation messages, and the typed factories. */
class SchedulerSpecTest {

    private static IllegalArgumentException rejected(Map<String, Object> spec) {
        return assertThrows(IllegalArgumentException.class, () -> Schedulers.fromSpec(ArrayTarget.sgd(), spec));
    }

    private static void assertMentions(IllegalArgumentException e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' not in: " + e.getMessage());
        }
    }

    @Test
    void unknownKeyNamesKeyAndType() {
        assertMentions(rejected(Map.of("type", "step", "step_size", 3, "gama", 0.5)), "'gama'", "'step'");
        assertMentions(rejected(Map.of("type", "onecycle", "max_lr", 0.1, "total_steps", 5, "last_epoch", 3)),
                "'last_epoch'", "'onecycle'");
    }

    @Test
    void missingRequiredKeyNamesKeyAndType() {
        assertMentions(rejected(Map.of("type", "step")), "missing", "'step_size'", "'step'");
        assertMentions(rejected(Map.of("type", "multistep", "gamma", 0.5)), "'milestones'", "'multistep'");
        assertMentions(rejected(Map.of("type", "exponential")), "'gamma'", "'exponential'");
        assertMentions(rejected(Map.of("type", "cosine", "eta_min", 0.1)), "'T_max'", "'cosine'");
        assertMentions(rejected(Map.of("type", "onecycle", "total_steps", 10)), "'max_lr'", "'onecycle'");
        assertMentions(rejected(Map.of("type", "sequential", "milestones", List.of())), "'schedulers'", "'sequential'");
        Map<String, Object> nullValue = new HashMap<>(Map.of("type", "step"));
        nullValue.put("step_size", null);
        assertMentions(rejected(nullValue), "'step_size'", "'step'");
    }

    @Test
    void nestedSpecErrorsNameTheNestedType() {
        assertMentions(rejected(Map.of("type", "sequential", "milestones", List.of(2), "schedulers",
                List.of(Map.of("type", "linear"), Map.of("type", "cosine")))), "'T_max'", "'cosine'");
        assertMentions(rejected(Map.of("type", "sequential", "milestones", List.of(2), "schedulers",
                List.of(Map.of("type", "linear"), Map.of("type", "plateau")))), "'plateau'", "'sequential'");
    }

    @Test
    void typeAndValueKindsAreChecked() {
        assertMentions(rejected(Map.of("type", "warmup")), "'warmup'", "step");
        assertMentions(rejected(Map.of("step_size", 3)), "'type'");
        assertMentions(rejected(Map.of("type", "step", "step_size", "3")), "'step_size'", "'step'", "integer");
        assertMentions(rejected(Map.of("type", "step", "step_size", 2.5)), "'step_size'", "integer");
        assertMentions(rejected(Map.of("type", "exponential", "gamma", "0.9")), "'gamma'", "number");
        assertMentions(rejected(Map.of("type", "multistep", "milestones", 5)), "'milestones'", "list");
        assertMentions(rejected(Map.of("type", "onecycle", "max_lr", 0.1, "total_steps", 5, "three_phase", "yes")),
                "'three_phase'", "boolean");
    }

    @Test
    void pyTorchMessagesForValues() {
        assertEquals("Starting multiplicative factor expected to be between 0 and 1.",
                rejected(Map.of("type", "linear", "start_factor", -0.5)).getMessage());
        assertEquals("Expected positive integer total_steps, but got -1",
                rejected(Map.of("type", "onecycle", "max_lr", 0.1, "total_steps", -1)).getMessage());
        // PyTorch checks isinstance(int) and isinstance(float), in its order
        assertEquals("Expected positive integer total_steps, but got 10.5",
                rejected(Map.of("type", "onecycle", "max_lr", 0.1, "total_steps", 10.5)).getMessage());
        assertEquals("Expected positive integer total_steps, but got -1",
                rejected(Map.of("type", "onecycle", "max_lr", 0.1, "total_steps", -1, "pct_start", 1)).getMessage());
        assertEquals("Expected float between 0 and 1 pct_start, but got 1",
                rejected(Map.of("type", "onecycle", "max_lr", 0.1, "total_steps", 8, "pct_start", 1)).getMessage());
        assertEquals("Factor should be < 1.0.", rejected(Map.of("type", "plateau", "factor", 2)).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OneCycleLR(ArrayTarget.sgd(), OneCycleOptions.maxLr(0.1).epochs(2, 0)));
        assertEquals("Expected positive integer steps_per_epoch, but got 0", e.getMessage());
    }

    @Test
    void sequentialChildrenMustShareTheTarget() {
        ArrayTarget target = ArrayTarget.sgd();
        ArrayTarget other = ArrayTarget.sgd();
        List<LrScheduler> children = List.of(new ExponentialLR(target, 0.9), new StepLR(other, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SequentialLR(target, children, new int[] {4}));
        assertEquals("Sequential Schedulers expects all schedulers to belong to the same optimizer, but got "
                + "schedulers at index 1 to be different than the optimizer passed in.", e.getMessage());
    }

    @Test
    void oneCycleRefusesToStepPastTotalSteps() {
        OneCycleLR s = Schedulers.oneCycleLR(ArrayTarget.sgd(), OneCycleOptions.maxLr(0.1).totalSteps(3));
        for (int i = 0; i < 3; i++) {
            s.step();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertEquals("Tried to step 5 times. The specified number of total steps is 3", e.getMessage());
    }

    @Test
    void plateauNeedsAMetric() {
        assertThrows(UnsupportedOperationException.class, () -> Schedulers.reduceLROnPlateau(ArrayTarget.sgd()).step());
    }

    @Test
    void typedFactoriesEqualTheirSpecs() {
        ArrayTarget a = ArrayTarget.sgd();
        ArrayTarget b = ArrayTarget.sgd();
        LrScheduler typed = Schedulers.sequentialLR(a, List.of(Schedulers.linearLR(a, 0.1, 1.0, 4),
                Schedulers.cosineAnnealingLR(a, 9, 0.001)), new int[] {4});
        LrScheduler spec = Schedulers.fromSpec(b, Map.of("type", "sequential", "milestones", List.of(4), "schedulers",
                List.of(Map.of("type", "linear", "start_factor", 0.1, "total_iters", 4),
                        Map.of("type", "cosine", "T_max", 9, "eta_min", 0.001))));
        ArrayTarget c = ArrayTarget.sgd();
        ArrayTarget d = ArrayTarget.sgd();
        LrScheduler typedCycle = Schedulers.oneCycleLR(c, OneCycleOptions.maxLrs(0.4, 0.04).totalSteps(20)
                .annealStrategy("linear").baseMomentum(0.8));
        LrScheduler specCycle = Schedulers.fromSpec(d, Map.of("type", "onecycle", "max_lr", List.of(0.4, 0.04),
                "total_steps", 20, "anneal_strategy", "linear", "base_momentum", 0.8));
        for (int t = 0; t < 20; t++) {
            typed.step();
            spec.step();
            typedCycle.step();
            specCycle.step();
            assertArrayEquals(a.lrs, b.lrs);
            assertArrayEquals(c.lrs, d.lrs);
            assertArrayEquals(c.momenta, d.momenta);
        }
    }

    /** PyTorch keeps initial_lr in the param group: a later scheduler on the same optimizer reuses it. */
    @Test
    void laterSchedulerOnSameTargetKeepsInitialLr() {
        ArrayTarget target = ArrayTarget.sgd();
        StepLR step = Schedulers.stepLR(target, 1, 0.5);
        step.step();
        step.step();
        assertArrayEquals(new double[] {0.025, 0.0025}, target.lrs);
        LrScheduler cosine = Schedulers.cosineAnnealingLR(target, 10);
        assertEquals(List.of(0.1, 0.01), cosine.stateDict().get("base_lrs"));
        assertArrayEquals(new double[] {0.025, 0.0025}, cosine.lastLr());
        LrScheduler onFreshTarget = Schedulers.cosineAnnealingLR(ArrayTarget.sgd(), 10);
        assertEquals(List.of(0.1, 0.01), onFreshTarget.stateDict().get("base_lrs"));
    }

    @Test
    void pythonFloatFormatting() {
        assertEquals("1.5", Py.str(1.5));
        assertEquals("100.0", Py.str(100.0));
        assertEquals("1e-05", Py.str(1e-5));
        assertEquals("0.0001", Py.str(1e-4));
        assertEquals("1e+16", Py.str(1e16));
        assertEquals("1234567890123456.0", Py.str(1234567890123456.0));
        assertEquals("-0.1", Py.str(-0.1));
        assertEquals("inf", Py.str(Double.POSITIVE_INFINITY));
        assertEquals("10", Py.str((Object) 10));
        assertInstanceOf(String.class, Py.str(Boolean.TRUE));
    }
}
