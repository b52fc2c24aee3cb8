package dev.sparktrain.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.config.OptimizerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SGD and Adam against torch.optim trajectories in float64. The fixture comes from
 * {@code src/test/python/gen_optim_fixtures.py} (PyTorch 1.13); regenerate it with that script.
 */
class OptimizerGoldenTest {
    private static final String FIXTURE = "/fixtures/optim_sgd_adam.json";
    private static JsonNode fixture;

    @BeforeAll
    static void readFixture() throws IOException {
        try (InputStream in = OptimizerGoldenTest.class.getResourceAsStream(FIXTURE)) {
            assertTrue(in != null, FIXTURE + " is missing from the test resources");
            fixture = new ObjectMapper().readTree(in);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).doubleValue();
        }
        return v;
    }

    private static INDArray params0() {
        return Nd4j.createFromArray(doubles(fixture.get("params0")));
    }

    private static List<INDArray> grads() {
        List<INDArray> grads = new ArrayList<>();
        fixture.get("grads").forEach(g -> grads.add(Nd4j.createFromArray(doubles(g))));
        return grads;
    }

    private static JsonNode testCase(String name) {
        for (JsonNode c : fixture.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no case " + name + " in " + FIXTURE);
    }

    static Stream<String> caseNames() throws IOException {
        readFixture();
        List<String> names = new ArrayList<>();
        fixture.get("cases").forEach(c -> names.add(c.get("name").asText()));
        return names.stream();
    }

    private static OptimizerConfig config(JsonNode c) {
        return new OptimizerConfig(c.get("type").asText(), c.get("lr").doubleValue(),
                c.get("weight_decay").doubleValue(), c.get("momentum").doubleValue(),
                c.get("dampening").doubleValue(), c.get("nesterov").booleanValue(), c.get("beta1").doubleValue(),
                c.get("beta2").doubleValue(), c.get("eps").doubleValue());
    }

    /** Same dtype, shape and bit-for-bit values (INDArray.equals allows a 1e-5 difference). */
    private static void assertExactlyEqual(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertArrayEquals(expected.toDoubleVector(), actual.toDoubleVector(), what);
    }

    @Test
    void theFixtureHoldsSevenCasesOf25Steps() {
        assertEquals(7, fixture.get("cases").size());
        assertEquals(25, fixture.get("grads").size());
        for (JsonNode c : fixture.get("cases")) {
            assertEquals(25, c.get("params_after_step").size(), c.get("name").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void everyStepMatchesPyTorch(String name) {
        JsonNode c = testCase(name);
        INDArray params = params0();
        List<INDArray> grads = grads();
        Optimizer opt = Optimizers.create(config(c.get("config")), params.length());
        for (int t = 0; t < grads.size(); t++) {
            INDArray grad = grads.get(t);
            INDArray gradBefore = grad.dup();
            opt.step(params, grad);
            assertExactlyEqual(gradBefore, grad, name + ": the gradient must not be modified");
            double[] expected = doubles(c.get("params_after_step").get(t));
            double[] actual = params.toDoubleVector();
            for (int i = 0; i < expected.length; i++) {
                double tolerance = 1e-6 * Math.max(1, Math.abs(expected[i]));
                assertEquals(expected[i], actual[i], tolerance, name + " step " + (t + 1) + " param " + i);
            }
        }
        assertEquals(grads.size(), opt.state().step(), name + ": step count");
        assertEquals(DataType.DOUBLE, params.dataType());
    }

    // ---- state ----

    private static final OptimizerConfig SGD_MOMENTUM = OptimizerConfig.sgd(0.1, 0.9, false, 0.01);
    private static final OptimizerConfig ADAM = OptimizerConfig.adam(0.01, 0.8, 0.99, 1e-6, 0.05);

    static Stream<OptimizerConfig> statefulConfigs() {
        return Stream.of(SGD_MOMENTUM, ADAM);
    }

    /** Runs steps [from, to) of a gradient sequence that repeats the fixture's 25 with a sign flip. */
    private static void run(Optimizer opt, INDArray params, int from, int to) {
        List<INDArray> grads = grads();
        for (int t = from; t < to; t++) {
            INDArray g = grads.get(t % grads.size());
            opt.step(params, t >= grads.size() ? g.neg() : g);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statefulConfigs")
    void stateRoundTripsExactly(OptimizerConfig cfg) {
        INDArray straight = params0();
        Optimizer uninterrupted = Optimizers.create(cfg, 7);
        run(uninterrupted, straight, 0, 20);

        INDArray resumed = params0();
        Optimizer first = Optimizers.create(cfg, 7);
        run(first, resumed, 0, 10);
        OptimizerState saved = first.state();
        assertEquals(10, saved.step());
        run(first, resumed.dup(), 10, 12); // stepping on must not change the state already taken
        Optimizer second = Optimizers.create(cfg, 7);
        second.loadState(saved);
        run(second, resumed, 10, 20);

        assertExactlyEqual(straight, resumed, cfg.type() + " params");
        OptimizerState a = uninterrupted.state();
        OptimizerState b = second.state();
        assertEquals(a.step(), b.step());
        assertEquals(a.buffers().keySet(), b.buffers().keySet());
        assertFalse(a.buffers().isEmpty(), "a stateful optimizer has buffers");
        a.buffers().forEach((k, v) -> assertExactlyEqual(v, b.buffers().get(k), k));
    }

    @Test
    void bufferNamesFollowPyTorchsStateDict() {
        Optimizer sgd = Optimizers.create(SGD_MOMENTUM, 7);
        Optimizer adam = Optimizers.create(ADAM, 7);
        assertTrue(sgd.state().buffers().isEmpty() && adam.state().buffers().isEmpty(), "no buffers before a step");
        run(sgd, params0(), 0, 1);
        run(adam, params0(), 0, 1);
        assertEquals(List.of("momentum_buffer"), List.copyOf(sgd.state().buffers().keySet()));
        assertEquals(List.of("exp_avg", "exp_avg_sq"), List.copyOf(adam.state().buffers().keySet()));
    }

    /** loadState(bad) must throw and leave {@code opt} exactly as an untouched twin. */
    private static String rejectedAndUnchanged(OptimizerConfig cfg, Map<String, INDArray> buffers) {
        Optimizer opt = Optimizers.create(cfg, 7);
        Optimizer twin = Optimizers.create(cfg, 7);
        INDArray p = params0();
        INDArray q = params0();
        run(opt, p, 0, 3);
        run(twin, q, 0, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.loadState(new OptimizerState(99, buffers)));
        run(opt, p, 3, 5);
        run(twin, q, 3, 5);
        assertExactlyEqual(q, p, cfg.type() + " after a rejected loadState");
        assertEquals(twin.state().step(), opt.state().step());
        return e.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void aBufferOfTheWrongLengthIsRejected() {
        assertContains(rejectedAndUnchanged(SGD_MOMENTUM, Map.of("momentum_buffer", Nd4j.zeros(DataType.DOUBLE, 6))),
                "'momentum_buffer'", "6 elements", "7 parameters");
        // the good buffer is checked along with the bad one: nothing is half-loaded
        assertContains(rejectedAndUnchanged(ADAM, Map.of("exp_avg", Nd4j.ones(DataType.DOUBLE, 7),
                        "exp_avg_sq", Nd4j.ones(DataType.DOUBLE, 8))),
                "'exp_avg_sq'", "8 elements", "7 parameters");
    }

    @Test
    void anUnknownBufferIsRejected() {
        assertContains(rejectedAndUnchanged(SGD_MOMENTUM, Map.of("velocity", Nd4j.zeros(DataType.DOUBLE, 7))),
                "'velocity'", "momentum_buffer");
        assertContains(rejectedAndUnchanged(ADAM, Map.of("exp_avg", Nd4j.ones(DataType.DOUBLE, 7),
                        "momentum_buffer", Nd4j.ones(DataType.DOUBLE, 7))),
                "'momentum_buffer'", "exp_avg");
        assertContains(rejectedAndUnchanged(ADAM, Map.of("exp_avg", Nd4j.ones(DataType.DOUBLE, 7))),
                "exp_avg_sq");
    }
}
