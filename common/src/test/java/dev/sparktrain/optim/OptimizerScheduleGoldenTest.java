package dev.sparktrain.optim;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.model.ParamLayout;
import dev.sparktrain.model.ParamLayout.Segment;
import dev.sparktrain.optim.schedule.LrScheduler;
import dev.sparktrain.optim.schedule.Schedulers;
import org.junit.jupiter.api.AfterAll;
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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The optimizer and the scheduler together, end to end, against torch.optim + torch.optim.lr_scheduler
 * (PyTorch 1.13, float64): {@link Optimizers#create} over a two-parameter layout (a.weight [3, 2] in
 * the defaults group, b.weight [4] in a declared group with its own overrides), gradient clipping from
 * the case, a scheduler from {@link Schedulers#fromSpec} with the case's PyTorch-named spec, and per
 * iteration {@code optimizer.step(params, grad)} then {@code scheduler.step()} (ReduceLROnPlateau:
 * {@code step(metric)}), as a training loop does. Every iteration's parameters must match to 1e-14
 * relative ({@code |a - b| <= 1e-14 * max(1, |b|)}), every lr and momentum (beta1 for Adam/AdamW) to
 * 1e-14 relative (absolute where PyTorch's value is 0), and the final state_dict (per-parameter
 * buffers keyed {@code <param>/<buffer>}, steps, groups' hyper-parameters) PyTorch's final
 * optimizer.state and param_groups. The errors measured are printed: 4.7e-16 for parameters,
 * 7.8e-16 for buffers, 4.2e-16 for lrs. The fixture comes from
 * {@code src/test/python/gen_optim_schedule_fixtures.py}; regenerate it with that script.
 */
class OptimizerScheduleGoldenTest {
    private static final String FIXTURE = "/fixtures/optim_schedules.json";
    private static final double PARAM_TOL = 1e-14;
    private static final double LR_TOL = 1e-14;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode fixture;
    /** the largest error seen per kind (params, state, lr, momentum), over all cases */
    private static final Map<String, Double> MAX_ERROR = new ConcurrentHashMap<>();
    /** the largest params error per case */
    private static final Map<String, Double> MAX_PARAM_ERROR_PER_CASE = new ConcurrentHashMap<>();

    @BeforeAll
    static void readFixture() throws IOException {
        if (fixture != null) {
            return;
        }
        try (InputStream in = OptimizerScheduleGoldenTest.class.getResourceAsStream(FIXTURE)) {
            assertNotNull(in, FIXTURE + " is missing from the test resources");
            fixture = MAPPER.readTree(in);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("OptimizerScheduleGoldenTest: max error vs PyTorch (params/state: relative to max(1,|x|); "
                + "lr/momentum: relative) " + new TreeMap<>(MAX_ERROR));
        System.out.println("OptimizerScheduleGoldenTest: max params error per case " + new TreeMap<>(MAX_PARAM_ERROR_PER_CASE));
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

    private static Map<String, Object> map(JsonNode node) {
        return MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() { });
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).doubleValue();
        }
        return v;
    }

    /** Tensors [a, b] of the fixture (each flattened row-major) as one flat vector a then b. */
    private static INDArray flat(JsonNode perTensor) {
        List<Double> all = new ArrayList<>();
        perTensor.forEach(p -> p.forEach(v -> all.add(v.doubleValue())));
        return Nd4j.createFromArray(all.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String name(int tensor) {
        return fixture.get("names").get(tensor).asText();
    }

    private static long[] shape(int tensor) {
        JsonNode s = fixture.get("shapes").get(tensor);
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).longValue();
        }
        return shape;
    }

    /** a.weight (layer "a", offset 0, 6 values) then b.weight (layer "b", offset 6, 4 values). */
    static ParamLayout layout() {
        List<Segment> segments = new ArrayList<>();
        long offset = 0;
        for (int k = 0; k < fixture.get("names").size(); k++) {
            long[] shape = shape(k);
            long length = 1;
            for (long d : shape) {
                length *= d;
            }
            String name = name(k);
            segments.add(new Segment(name, name.substring(0, name.indexOf('.')), offset, length, shape));
            offset += length;
        }
        return new ParamLayout(segments);
    }

    /** The case's optimizer as PyTorch built it: defaults = constructor kwargs, group 1 = b.weight + overrides. */
    static OptimizerSpec spec(JsonNode c) {
        String type = c.get("type").asText();
        JsonNode clip = c.get("clipping");
        Clipping clipping = new Clipping(clip.get("max_norm").doubleValue(), clip.get("norm_type").doubleValue(),
                clip.get("clip_value").doubleValue());
        GroupSpec group1 = new GroupSpec(List.of(), List.of(name(1)), map(c.get("group1")));
        return new OptimizerSpec(type, TorchHyperParams.of(type, c.get("defaults")), List.of(group1), List.of(),
                List.of(), clipping);
    }

    private static void assertParamsClose(String caseName, double[] expected, double[] actual, String kind,
                                          String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
            MAX_ERROR.merge(kind, err, Math::max);
            if (kind.equals("params")) {
                MAX_PARAM_ERROR_PER_CASE.merge(caseName, err, Math::max);
            }
            if (!(err <= PARAM_TOL)) {
                fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i] + " (error " + err + ")");
            }
        }
    }

    private static void assertLrClose(double expected, double actual, String kind, String what) {
        double err = Math.abs(actual - expected);
        if (expected != 0) {
            err /= Math.abs(expected);
        }
        MAX_ERROR.merge(kind, err, Math::max);
        if (!(err <= LR_TOL)) {
            fail(what + ": expected " + expected + " but was " + actual + " (error " + err + ")");
        }
    }

    /** Both groups' lr and momentum (beta1) against a fixture row; a null momentum (Adagrad) is not checked. */
    private static void assertGroups(GroupedOptimizer opt, JsonNode lrRow, JsonNode momentumRow, String what) {
        assertEquals(lrRow.size(), opt.groupCount(), what + ": group count");
        for (int g = 0; g < opt.groupCount(); g++) {
            assertLrClose(lrRow.get(g).doubleValue(), opt.lr(g), "lr", what + " lr of group " + g);
            assertLrClose(lrRow.get(g).doubleValue(), opt.lrs()[g], "lr", what + " lrs()[" + g + "]");
            if (!momentumRow.get(g).isNull()) {
                assertLrClose(momentumRow.get(g).doubleValue(), opt.momentum(g), "momentum",
                        what + " momentum of group " + g);
            }
        }
    }

    @Test
    void theFixtureCoversEverySchedulerAndEveryOptimizerWithTwoGroups() {
        int steps = fixture.get("steps").intValue();
        assertTrue(steps >= 25);
        assertEquals(steps, fixture.get("grads").size());
        assertEquals(steps, fixture.get("metrics").size());
        assertEquals("float64", fixture.get("dtype").asText());
        Set<String> schedulers = new TreeSet<>();
        Set<String> optimizers = new TreeSet<>();
        Set<String> options = new HashSet<>();
        boolean clipNorm = false;
        boolean clipValue = false;
        for (JsonNode c : fixture.get("cases")) {
            String name = c.get("name").asText();
            schedulers.add(c.get("scheduler").get("type").asText());
            c.get("scheduler").path("schedulers").forEach(s -> schedulers.add("sequential:" + s.get("type").asText()));
            String type = c.get("type").asText();
            optimizers.add(type);
            c.get("defaults").fieldNames().forEachRemaining(k -> {
                if (c.get("defaults").get(k).isBoolean() && c.get("defaults").get(k).booleanValue()
                        || k.equals("lr_decay")) {
                    options.add(type + ":" + k);
                }
            });
            if ("onecycle".equals(c.get("scheduler").get("type").asText())
                    && c.get("scheduler").path("cycle_momentum").asBoolean(true)) {
                options.add("onecycle_momentum:" + type);
            }
            clipNorm |= c.get("clipping").get("max_norm").doubleValue() > 0;
            clipValue |= c.get("clipping").get("clip_value").doubleValue() > 0;
            assertEquals(2, c.get("param_groups").size(), name);
            assertTrue(c.get("group1").size() >= 2, name + ": group 1 overrides lr and one more");
            assertEquals(steps, c.get("params_after_step").size(), name);
            assertEquals(steps, c.get("lr_after_step").size(), name);
            assertEquals(steps, c.get("momentum_after_step").size(), name);
        }
        assertTrue(schedulers.containsAll(Set.of("step", "multistep", "exponential", "cosine", "linear", "onecycle",
                "plateau", "sequential", "sequential:linear", "sequential:cosine")), schedulers.toString());
        assertEquals(Set.of("sgd", "adam", "adamw", "rmsprop", "adagrad"), optimizers);
        assertTrue(options.containsAll(Set.of("sgd:nesterov", "adam:amsgrad", "rmsprop:centered", "adagrad:lr_decay",
                "onecycle_momentum:sgd", "onecycle_momentum:adam")), options.toString());
        assertTrue(clipNorm && clipValue, "clip_grad_norm_ and clip_grad_value_ cases");
        assertTrue(fixture.get("cases").size() >= 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void everyIterationAndTheFinalStateMatchPyTorch(String name) {
        JsonNode c = testCase(name);
        String type = c.get("type").asText();
        int steps = fixture.get("steps").intValue();
        ParamLayout layout = layout();
        GroupedOptimizer opt = Optimizers.create(spec(c), layout);

        // group order as torch's: the defaults group (a.weight) first, then the declared one (b.weight)
        StateDict initial = opt.stateDict();
        assertEquals(2, initial.groups().size(), name);
        assertEquals(List.of(name(0)), initial.groups().get(0).params(), name);
        assertEquals(List.of(name(1)), initial.groups().get(1).params(), name);

        Map<String, Object> schedulerSpec = map(c.get("scheduler"));
        LrScheduler scheduler = Schedulers.fromSpec(opt, schedulerSpec);
        boolean plateau = "plateau".equals(schedulerSpec.get("type"));
        assertGroups(opt, c.get("lr0"), c.get("momentum0"), name + " after the scheduler's construction");

        INDArray params = flat(fixture.get("params0"));
        for (int t = 0; t < steps; t++) {
            String what = name + " iteration " + (t + 1);
            INDArray grad = flat(fixture.get("grads").get(t));
            double[] gradBefore = grad.toDoubleVector();
            opt.step(params, grad);
            assertArrayEquals(gradBefore, grad.toDoubleVector(), what + ": the gradient must not be modified");
            if (plateau) {
                scheduler.step(fixture.get("metrics").get(t).doubleValue());
            } else {
                scheduler.step();
            }
            assertEquals(DataType.DOUBLE, params.dataType());
            assertParamsClose(name, doubles(c.get("params_after_step").get(t)), params.toDoubleVector(), "params",
                    what + " params");
            assertGroups(opt, c.get("lr_after_step").get(t), c.get("momentum_after_step").get(t), what);
        }

        assertFinalState(name, type, steps, opt.stateDict(), c);
    }

    private static void assertFinalState(String name, String type, int steps, StateDict state, JsonNode c) {
        Set<String> expectedKeys = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.get("final_state").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> param = it.next();
            String p = param.getKey();
            JsonNode torchStep = param.getValue().get("step");
            // torch's SGD counts no steps (null): ours counts every update
            assertEquals(torchStep.isNull() ? steps : torchStep.longValue(), state.steps().get(p),
                    name + " " + p + " step");
            for (Iterator<Map.Entry<String, JsonNode>> bs = param.getValue().get("buffers").fields(); bs.hasNext(); ) {
                Map.Entry<String, JsonNode> b = bs.next();
                String key = p + "/" + b.getKey();
                expectedKeys.add(key);
                INDArray actual = state.buffers().get(key);
                assertNotNull(actual, name + ": no buffer " + key + " in " + state.buffers().keySet());
                assertEquals(DataType.DOUBLE, actual.dataType(), name + " " + key);
                assertParamsClose(name, doubles(b.getValue()), actual.dup().reshape(actual.length()).toDoubleVector(),
                        "state", name + " final " + key);
            }
        }
        assertEquals(expectedKeys, new TreeSet<>(state.buffers().keySet()), name + ": buffer keys");

        JsonNode groups = c.get("param_groups");
        assertEquals(groups.size(), state.groups().size(), name + ": groups");
        for (int g = 0; g < groups.size(); g++) {
            JsonNode torchGroup = groups.get(g);
            StateDict.GroupState ours = state.groups().get(g);
            List<String> params = new ArrayList<>();
            torchGroup.get("params").forEach(p -> params.add(p.asText()));
            assertEquals(params, ours.params(), name + " group " + g + " params");
            HyperParams expected = TorchHyperParams.of(type, torchGroup);
            HyperParams actual = ours.hyper();
            assertLrClose(expected.lr(), actual.lr(), "lr", name + " final group " + g + " lr");
            boolean betas = actual.has("betas");
            assertLrClose(expected.momentum(betas), actual.momentum(betas), "momentum",
                    name + " final group " + g + (betas ? " beta1" : " momentum"));
            // every other hyper-parameter exactly as torch's param_groups has it
            assertEquals(expected.withLr(actual.lr()).withMomentum(actual.momentum(betas), betas), actual,
                    name + " final group " + g + " hyper-parameters");
        }
    }
}
