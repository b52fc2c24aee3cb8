package dev.sparktrain.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-tensor updates of every {@link Algorithm} against torch.optim (PyTorch 1.13, single-tensor
 * code path) in float64: two tensors, held as views into one flat vector, stepped with the fixture's
 * gradients and each tensor's group hyper-parameters; every step and the final state must match to
 * 1e-14 relative to max(1, |torch's value|) (the errors measured are printed: 8.5e-16 at most, RMSprop).
 * In float32 the same steps follow the float64 trajectory to 2e-6 (float32 rounding; measured 2.3e-7).
 * The fixture comes from {@code src/test/python/gen_optim_rules_fixtures.py}; regenerate it with that
 * script.
 */
class OptimizerRulesGoldenTest {
    private static final String FIXTURE = "/fixtures/optim_rules.json";
    private static final double TOLERANCE = 1e-14;
    /** float32 parameters against the float64 trajectory, 10 steps: float32 rounding, not more */
    private static final double FLOAT32_TOLERANCE = 2e-6;
    private static JsonNode fixture;
    /** max |a - b| / max(1, |b|) seen per optimizer type, over steps and final buffers */
    private static final Map<String, Double> MAX_REL_ERROR = new ConcurrentHashMap<>();

    @BeforeAll
    static void readFixture() throws IOException {
        try (InputStream in = OptimizerRulesGoldenTest.class.getResourceAsStream(FIXTURE)) {
            assertNotNull(in, FIXTURE + " is missing from the test resources");
            fixture = new ObjectMapper().readTree(in);
        }
    }

    @AfterAll
    static void reportErrors() {
        System.out.println("max relative error vs PyTorch per optimizer: " + new TreeMap<>(MAX_REL_ERROR));
    }

    static Stream<String> caseNames() throws IOException {
        readFixture();
        List<String> names = new ArrayList<>();
        fixture.get("cases").forEach(c -> names.add(c.get("name").asText()));
        return names.stream();
    }

    private static JsonNode testCase(String name) {
        for (JsonNode c : fixture.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no case " + name + " in " + FIXTURE);
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).doubleValue();
        }
        return v;
    }

    /** All values, row-major, of an array of any rank (toDoubleVector takes vectors only). */
    private static double[] values(INDArray a) {
        return a.dup('c').reshape(a.length()).toDoubleVector();
    }

    private static long[] shape(int tensor) {
        JsonNode s = fixture.get("shapes").get(tensor);
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).longValue();
        }
        return shape;
    }

    private static int numTensors() {
        return fixture.get("shapes").size();
    }

    /** Tensor {@code k}'s gradient at step {@code t} (0-based), a fresh array of the tensor's shape. */
    private static INDArray grad(int t, int k) {
        return Nd4j.createFromArray(doubles(fixture.get("grads").get(t).get(k))).reshape(shape(k));
    }

    /** The initial parameters as one flat vector, tensor after tensor. */
    private static INDArray flatParams0() {
        List<Double> all = new ArrayList<>();
        fixture.get("params0").forEach(p -> p.forEach(v -> all.add(v.doubleValue())));
        return Nd4j.createFromArray(all.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Views of {@code flat} shaped as the fixture's tensors. */
    private static List<INDArray> views(INDArray flat) {
        List<INDArray> views = new ArrayList<>();
        long offset = 0;
        for (int k = 0; k < numTensors(); k++) {
            long[] shape = shape(k);
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            views.add(flat.get(NDArrayIndex.interval(offset, offset + n)).reshape(shape));
            offset += n;
        }
        return views;
    }

    /** Each tensor's hyper-parameters: those of the group that holds it. */
    private static HyperParams[] hyperParamsPerTensor(JsonNode c) {
        HyperParams[] perTensor = new HyperParams[numTensors()];
        for (JsonNode group : c.get("groups")) {
            HyperParams h = TorchHyperParams.of(c.get("type").asText(), group);
            Algorithms.get(c.get("type").asText()).validate(h);
            group.get("params").forEach(k -> perTensor[k.intValue()] = h);
        }
        for (int k = 0; k < perTensor.length; k++) {
            assertNotNull(perTensor[k], "tensor " + k + " is in no group");
        }
        return perTensor;
    }

    private static void assertClose(String type, double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            double rel = Math.abs(actual[i] - expected[i]) / scale;
            MAX_REL_ERROR.merge(type, rel, Math::max);
            assertTrue(rel <= TOLERANCE, what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
        }
    }

    private static double[] concat(JsonNode perTensor) {
        List<Double> all = new ArrayList<>();
        perTensor.forEach(p -> p.forEach(v -> all.add(v.doubleValue())));
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void theFixtureCoversEveryOptimizerWithTwoGroupsEach() {
        assertTrue(fixture.get("steps").intValue() >= 25);
        assertEquals(fixture.get("steps").intValue(), fixture.get("grads").size());
        assertEquals("float64", fixture.get("dtype").asText());
        Set<String> typesWithTwoGroups = new HashSet<>();
        Map<String, Integer> casesPerType = new TreeMap<>();
        for (JsonNode c : fixture.get("cases")) {
            String type = c.get("type").asText();
            casesPerType.merge(type, 1, Integer::sum);
            if (c.get("groups").size() == 2) {
                typesWithTwoGroups.add(type);
            }
            assertEquals(fixture.get("steps").intValue(), c.get("params_after_step").size(), c.get("name").asText());
        }
        assertEquals(Set.copyOf(Algorithms.names()), casesPerType.keySet());
        assertEquals(Set.copyOf(Algorithms.names()), typesWithTwoGroups);
        casesPerType.forEach((type, n) -> assertTrue(n >= 4, type + " has " + n + " cases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void everyStepAndTheFinalStateMatchPyTorch(String name) {
        JsonNode c = testCase(name);
        String type = c.get("type").asText();
        Algorithm rule = Algorithms.get(type);
        HyperParams[] hp = hyperParamsPerTensor(c);
        INDArray flat = flatParams0();
        List<INDArray> params = views(flat);
        List<ParamState> states = new ArrayList<>();
        params.forEach(p -> states.add(new ParamState()));
        int steps = fixture.get("steps").intValue();

        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < params.size(); k++) {
                INDArray g = grad(t, k);
                INDArray before = g.dup();
                rule.update(params.get(k), g, states.get(k), hp[k]);
                assertArrayEquals(values(before), values(g),
                        name + " step " + (t + 1) + ": the gradient must not be modified");
            }
            // read through the flat vector: the rules must update the views in place
            assertClose(type, concat(c.get("params_after_step").get(t)), flat.toDoubleVector(),
                    name + " step " + (t + 1));
        }

        for (int k = 0; k < params.size(); k++) {
            JsonNode expected = c.get("final_state").get(k);
            ParamState state = states.get(k);
            String what = name + " tensor " + k;
            JsonNode torchStep = expected.get("step");
            // torch's SGD counts no steps (null): ours counts every update
            assertEquals(torchStep.isNull() ? steps : torchStep.doubleValue(), (double) state.step(), what + " step");
            Set<String> expectedNames = new HashSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("buffers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    assertNull(state.buffer(e.getKey()), what + ": torch keeps no " + e.getKey());
                    continue;
                }
                expectedNames.add(e.getKey());
                INDArray buf = state.buffer(e.getKey());
                assertNotNull(buf, what + ": no buffer " + e.getKey());
                assertEquals(DataType.DOUBLE, buf.dataType(), what + " " + e.getKey());
                assertArrayEquals(params.get(k).shape(), buf.shape(), what + " " + e.getKey() + " shape");
                double[] torchValues = doubles(e.getValue());
                if (torchValues.length == 1 && buf.length() > 1) { // a scalar in torch (NAdam's mu_product)
                    torchValues = java.util.Collections.nCopies((int) buf.length(), torchValues[0]).stream()
                            .mapToDouble(Double::doubleValue).toArray();
                }
                assertClose(type, torchValues, values(buf), what + " " + e.getKey());
            }
            assertEquals(expectedNames, state.buffers().keySet(), what + ": buffer names");
        }
    }

    // ---- state round trip ----

    /** Each type with its richest option set (SGD twice: nesterov excludes dampening). */
    static Stream<Object[]> richest() {
        return Stream.of(
                new Object[] {"sgd", TorchHyperParams.of("sgd", "lr", 0.1, "momentum", 0.9, "nesterov", true,
                        "weight_decay", 0.01, "maximize", true)},
                new Object[] {"sgd", TorchHyperParams.of("sgd", "lr", 0.1, "momentum", 0.9, "dampening", 0.1,
                        "weight_decay", 0.01)},
                new Object[] {"adam", TorchHyperParams.of("adam", "lr", 0.01, "betas", new double[] {0.8, 0.99},
                        "eps", 1e-6, "weight_decay", 0.05, "amsgrad", true, "maximize", true)},
                new Object[] {"adamw", TorchHyperParams.of("adamw", "lr", 0.01, "weight_decay", 0.1,
                        "amsgrad", true, "maximize", true)},
                new Object[] {"rmsprop", TorchHyperParams.of("rmsprop", "lr", 0.01, "alpha", 0.9, "momentum", 0.9,
                        "centered", true, "weight_decay", 0.01, "maximize", true)},
                new Object[] {"adagrad", TorchHyperParams.of("adagrad", "lr", 0.1, "lr_decay", 0.01,
                        "initial_accumulator_value", 0.1, "weight_decay", 0.01, "maximize", true)},
                new Object[] {"nadam", TorchHyperParams.of("nadam", "lr", 0.01, "betas", new double[] {0.8, 0.99},
                        "weight_decay", 0.01, "momentum_decay", 0.01)},
                new Object[] {"radam", TorchHyperParams.of("radam", "lr", 0.01, "betas", new double[] {0.8, 0.99},
                        "weight_decay", 0.01)});
    }

    private static void run(Algorithm rule, List<INDArray> params, List<ParamState> states, HyperParams h,
                            int from, int to) {
        for (int t = from; t < to; t++) {
            for (int k = 0; k < params.size(); k++) {
                rule.update(params.get(k), grad(t, k), states.get(k), h);
            }
        }
    }

    private static List<ParamState> freshStates() {
        List<ParamState> states = new ArrayList<>();
        for (int k = 0; k < numTensors(); k++) {
            states.add(new ParamState());
        }
        return states;
    }

    private static ParamState copy(ParamState s) {
        ParamState c = new ParamState();
        c.setStep(s.step());
        s.buffers().forEach((name, buf) -> c.put(name, buf.dup()));
        return c;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("richest")
    void aCopiedStateResumesBitForBit(String type, HyperParams h) {
        INDArray straight = flatParams0();
        List<ParamState> straightStates = freshStates();
        run(Algorithms.get(type), views(straight), straightStates, h, 0, 20);

        INDArray resumed = flatParams0();
        List<ParamState> first = freshStates();
        run(Algorithms.get(type), views(resumed), first, h, 0, 10);
        List<ParamState> second = new ArrayList<>();
        first.forEach(s -> second.add(copy(s)));
        INDArray withoutState = resumed.dup();
        run(Algorithms.get(type), views(resumed), second, h, 10, 20);

        assertArrayEquals(straight.toDoubleVector(), resumed.toDoubleVector(), type + " params");
        for (int k = 0; k < numTensors(); k++) {
            ParamState a = straightStates.get(k);
            ParamState b = second.get(k);
            assertEquals(20, a.step());
            assertEquals(a.step(), b.step());
            assertEquals(a.buffers().keySet(), b.buffers().keySet());
            assertFalse(a.buffers().isEmpty(), type + " keeps buffers");
            a.buffers().forEach((name, buf) ->
                    assertArrayEquals(values(buf), values(b.buffer(name)), type + " " + name));
        }
        // the state matters: resuming from empty states goes elsewhere
        run(Algorithms.get(type), views(withoutState), freshStates(), h, 10, 20);
        assertFalse(java.util.Arrays.equals(straight.toDoubleVector(), withoutState.toDoubleVector()),
                type + ": resuming without the state should change the trajectory");
    }

    // ---- dtype, shapes, factory ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("richest")
    void float32ParamsKeepTheirDtypeAndFollowTheFloat64Trajectory(String type, HyperParams h) {
        INDArray reference = flatParams0();
        run(Algorithms.get(type), views(reference), freshStates(), h, 0, 10);

        INDArray flat = flatParams0().castTo(DataType.FLOAT);
        List<ParamState> states = freshStates();
        run(Algorithms.get(type), views(flat), states, h, 0, 10); // float64 gradients, cast by the rule
        assertEquals(DataType.FLOAT, flat.dataType());
        states.forEach(s -> s.buffers().forEach((name, buf) ->
                assertEquals(DataType.FLOAT, buf.dataType(), type + " " + name)));
        double[] expected = reference.toDoubleVector();
        double[] actual = flat.toDoubleVector();
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(actual[i] - expected[i]) <= FLOAT32_TOLERANCE * Math.max(1, Math.abs(expected[i])),
                    type + " [" + i + "]: " + expected[i] + " vs float32 " + actual[i]);
        }
    }

    @Test
    void aGradientOfAnotherShapeIsRejected() {
        for (String type : Algorithms.names()) {
            INDArray p = Nd4j.zeros(DataType.DOUBLE, 3, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Algorithms.get(type)
                    .update(p, Nd4j.ones(DataType.DOUBLE, 6), new ParamState(), HyperParams.defaults(type, 0.1)));
            assertTrue(e.getMessage().contains("[6]") && e.getMessage().contains("[3, 2]"), e.getMessage());
        }
    }

    @Test
    void theRegistryKnowsEveryTypeAndNamesTheValidOnes() {
        assertSame(Algorithms.get("sgd").getClass(), SgdRule.class);
        assertSame(Algorithms.get("adam").getClass(), AdamRule.class);
        assertSame(Algorithms.get("adamw").getClass(), AdamWRule.class);
        assertSame(Algorithms.get("rmsprop").getClass(), RmspropRule.class);
        assertSame(Algorithms.get("adagrad").getClass(), AdagradRule.class);
        assertSame(Algorithms.get("nadam").getClass(), NAdamRule.class);
        assertSame(Algorithms.get("radam").getClass(), RAdamRule.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Algorithms.get("Adam"));
        assertEquals("unknown optimizer type 'Adam', expected one of sgd, adam, adamw, rmsprop, adagrad, nadam, radam",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Algorithms.get(null));
    }
}
