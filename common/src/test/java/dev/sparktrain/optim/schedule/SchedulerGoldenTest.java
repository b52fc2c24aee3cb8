package dev.sparktrain.optim.schedule;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every scheduler against torch.optim.lr_scheduler (PyTorch 1.13): lr and momentum of both groups after
 * construction and after every step (some cases with the lr changed from outside between two steps, which
 * the chainable forms must carry on as PyTorch's do), the final state_dict, OneCycleLR's error past total_steps, and the
 * messages of the arguments PyTorch rejects. Values must match to 1e-14 relative (the largest error
 * measured is printed: 7.3e-16). The fixture comes from
 * {@code src/test/python/gen_scheduler_fixtures.py}; regenerate it with that script.
 */
class SchedulerGoldenTest {
    private static final String FIXTURE = "/fixtures/lr_schedulers.json";
    /** Relative tolerance (absolute where PyTorch's value is 0). */
    private static final double TOL = 1e-14;
    private static Map<String, Object> fixture;
    private static double maxRelError;

    @BeforeAll
    static void readFixture() throws IOException {
        if (fixture != null) {
            return;
        }
        try (InputStream in = SchedulerGoldenTest.class.getResourceAsStream(FIXTURE)) {
            assertNotNull(in, FIXTURE + " is missing from the test resources");
            fixture = new ObjectMapper().readValue(in, new TypeReference<Map<String, Object>>() { });
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("SchedulerGoldenTest: max relative error vs PyTorch %.3e%n", maxRelError);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String key) {
        return (List<Map<String, Object>>) fixture.get(key);
    }

    static Stream<String> caseNames() throws IOException {
        readFixture();
        return list("cases").stream().map(c -> (String) c.get("name"));
    }

    static Stream<String> errorNames() throws IOException {
        readFixture();
        return list("errors").stream().map(c -> (String) c.get("name"));
    }

    private static Map<String, Object> entry(String key, String name) {
        return list(key).stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + name + " in " + FIXTURE));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static void assertClose(double expected, double actual, String what) {
        double err = Math.abs(actual - expected);
        if (expected != 0) {
            err /= Math.abs(expected);
        }
        if (!(err <= TOL)) {
            fail(what + ": expected " + expected + " but got " + actual);
        }
        maxRelError = Math.max(maxRelError, err);
    }

    private static void assertRow(List<?> expectedRow, double[] actual, String what) {
        assertEquals(expectedRow.size(), actual.length, what + ": group count");
        for (int g = 0; g < actual.length; g++) {
            assertClose(((Number) expectedRow.get(g)).doubleValue(), actual[g], what + " group " + g);
        }
    }

    @Test
    void fixtureCoversEveryScheduler() throws IOException {
        readFixture();
        Set<Object> types = new HashSet<>();
        list("cases").forEach(c -> types.add(map(c.get("spec")).get("type")));
        assertEquals(Set.of("step", "multistep", "exponential", "cosine", "linear", "onecycle", "plateau",
                "sequential"), types);
        assertTrue(list("cases").size() >= 20);
        assertTrue(list("errors").size() >= 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void matchesPyTorchAtEveryStep(String name) {
        Map<String, Object> c = entry("cases", name);
        ArrayTarget target = ArrayTarget.of(map(c.get("optimizer")));
        LrScheduler scheduler = Schedulers.fromSpec(target, map(c.get("spec")));
        List<?> lrs = (List<?>) c.get("lr");
        List<?> momenta = (List<?>) c.get("momentum");
        List<?> metrics = (List<?>) c.get("metrics");
        int steps = ((Number) c.get("steps")).intValue();
        Map<String, Object> external = c.containsKey("external_lr_change") ? map(c.get("external_lr_change")) : Map.of();
        int changeAfter = ((Number) external.getOrDefault("after_step", -1)).intValue();
        assertEquals(steps + 1, lrs.size());
        for (int t = 0; t <= steps; t++) {
            if (t > 0) {
                if (metrics != null) {
                    scheduler.step(((Number) metrics.get(t - 1)).doubleValue());
                } else {
                    scheduler.step();
                }
                assertRow((List<?>) lrs.get(t), scheduler.lastLr(), name + " lastLr() after step " + t);
            }
            assertRow((List<?>) lrs.get(t), target.lrs, name + " lr after step " + t);
            assertRow((List<?>) momenta.get(t), target.momenta, name + " momentum after step " + t);
            if (t == changeAfter) {
                for (int g = 0; g < target.lrs.length; g++) {
                    target.lrs[g] *= ((Number) external.get("factor")).doubleValue();
                }
            }
        }
        assertState(c.get("state_dict"), scheduler.stateDict(), name + " state_dict");
        if (c.containsKey("overstep_error")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, scheduler::step);
            assertEquals(c.get("overstep_error"), e.getMessage());
        }
    }

    /** Every key PyTorch's state_dict has must be in ours with the same value. */
    private static void assertState(Object expected, Object actual, String where) {
        if (expected instanceof Map) {
            assertInstanceOf(Map.class, actual, where);
            for (Map.Entry<String, Object> e : map(expected).entrySet()) {
                assertTrue(map(actual).containsKey(e.getKey()), where + ": no key " + e.getKey() + " in "
                        + map(actual).keySet());
                assertState(e.getValue(), map(actual).get(e.getKey()), where + "." + e.getKey());
            }
        } else if (expected instanceof List) {
            assertInstanceOf(List.class, actual, where);
            List<?> exp = (List<?>) expected;
            assertEquals(exp.size(), ((List<?>) actual).size(), where + " size");
            for (int i = 0; i < exp.size(); i++) {
                assertState(exp.get(i), ((List<?>) actual).get(i), where + "[" + i + "]");
            }
        } else if (expected instanceof Number || "Infinity".equals(expected) || "-Infinity".equals(expected)) {
            assertInstanceOf(Number.class, actual, where);
            double exp = expected instanceof Number ? ((Number) expected).doubleValue()
                    : "Infinity".equals(expected) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            double act = ((Number) actual).doubleValue();
            if (Double.isInfinite(exp)) {
                assertEquals(exp, act, where);
            } else {
                assertClose(exp, act, where);
            }
        } else {
            assertEquals(expected, actual, where);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorNames")
    void rejectsWhatPyTorchRejectsWithItsMessage(String name) {
        Map<String, Object> c = entry("errors", name);
        ArrayTarget target = ArrayTarget.of(map(c.get("optimizer")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedulers.fromSpec(target, map(c.get("spec"))));
        assertEquals(c.get("error"), e.getMessage());
    }

    /** The fixture's specs are PyTorch argument sets; they must all be accepted by fromSpec as given. */
    @Test
    void specsUseOnlyPyTorchArgumentNames() throws IOException {
        readFixture();
        List<String> names = new ArrayList<>();
        for (Map<String, Object> c : list("cases")) {
            Schedulers.fromSpec(ArrayTarget.of(map(c.get("optimizer"))), map(c.get("spec")));
            names.add((String) c.get("name"));
        }
        assertEquals(list("cases").size(), names.size());
    }
}
