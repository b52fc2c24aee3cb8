package dev.sparktrain.optim;

import dev.sparktrain.model.ParamLayout;
import dev.sparktrain.model.ParamLayout.Segment;
import dev.sparktrain.model.Replica;
import dev.sparktrain.model.ReplicaTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Param groups, frozen parameters, add_param_group, state dicts and clipping over LeNet's parameters. */
class GroupedOptimizerTest {
    private static ParamLayout layout;
    private static INDArray theta0;

    @BeforeAll
    static void lenet() {
        Replica r = new Replica(ReplicaTest.lenet("float64"));
        layout = r.layout();
        theta0 = r.params();
    }

    /** A fixed pseudo-random gradient for step {@code t}. */
    private static INDArray grad(int t) {
        Nd4j.getRandom().setSeed(1000 + t);
        return Nd4j.randn(DataType.DOUBLE, theta0.length()).muli(0.1);
    }

    private static OptimizerSpec spec(String type, List<GroupSpec> groups, List<String> frozen,
                                      List<OptimizerSpec.TimedGroup> added, Clipping clipping) {
        HyperParams d = HyperParams.defaults(type, 0.01);
        if (type.equals("sgd")) {
            d = d.with("momentum", 0.9).with("nesterov", true).with("weight_decay", 1e-3);
        }
        return new OptimizerSpec(type, d, groups, frozen, added, clipping);
    }

    private static INDArray segment(INDArray flat, String name) {
        Segment s = layout.segment(name);
        return flat.get(NDArrayIndex.interval(s.offset(), s.offset() + s.length()));
    }

    @Test
    void defaultsGroupComesFirstThenDeclaredGroupsAndFrozenParametersDoNotMove() {
        GroupedOptimizer opt = Optimizers.create(spec("adam",
                List.of(new GroupSpec(List.of("fc1", "fc2"), List.of(), Map.of("lr", 0.001))),
                List.of("conv1"), List.of(), Clipping.NONE), layout);
        assertEquals(2, opt.groupCount());
        assertArrayEquals(new double[]{0.01, 0.001}, opt.lrs());
        StateDict sd = opt.stateDict();
        assertEquals(List.of("conv2.bias", "conv2.weight", "fc3.weight", "fc3.bias"), sd.groups().get(0).params());
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), sd.groups().get(1).params());

        INDArray p = theta0.dup();
        opt.step(p, grad(0));
        assertEquals(segment(theta0, "conv1.weight"), segment(p, "conv1.weight"));
        assertNotEquals(segment(theta0, "fc1.weight"), segment(p, "fc1.weight"));
        // Adam's first step moves every trained parameter by about lr: the group's own lr
        double fc1Move = segment(p, "fc1.weight").sub(segment(theta0, "fc1.weight")).amaxNumber().doubleValue();
        double fc3Move = segment(p, "fc3.weight").sub(segment(theta0, "fc3.weight")).amaxNumber().doubleValue();
        assertEquals(0.001, fc1Move, 1e-4);
        assertEquals(0.01, fc3Move, 1e-3);
    }

    /** Every registered optimizer. */
    static List<String> algorithms() {
        return Algorithms.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void updatingAdjacentParametersAsOneRunEqualsPerTensorUpdates(String type) {
        OptimizerSpec s = spec(type, List.of(), List.of(), List.of(), Clipping.NONE);
        GroupedOptimizer opt = Optimizers.create(s, layout);
        Algorithm rule = Algorithms.get(type);
        Map<String, ParamState> perTensor = new java.util.HashMap<>();
        INDArray a = theta0.dup();
        INDArray b = theta0.dup();
        for (int t = 0; t < 5; t++) {
            INDArray g = grad(t);
            opt.step(a, g);
            for (Segment seg : layout.segments()) {
                rule.update(segment(b, seg.name()), segment(g, seg.name()),
                        perTensor.computeIfAbsent(seg.name(), n -> new ParamState()), s.defaults());
            }
        }
        assertArrayEquals(b.toDoubleVector(), a.toDoubleVector());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void stateDictRoundTripContinuesExactlyWithGroupsAddedAtRunTime(String type) {
        OptimizerSpec s = spec(type, List.of(new GroupSpec(List.of(), List.of("fc*.bias"), Map.of("lr", 0.002))),
                List.of("conv1"), List.of(), Clipping.NONE);
        GroupSpec unfreeze = GroupSpec.ofLayers(List.of("conv1"), Map.of("lr", 0.0005));
        Supplier<GroupedOptimizer> fresh = () -> Optimizers.create(s, layout);

        GroupedOptimizer straight = fresh.get();
        INDArray a = theta0.dup();
        for (int t = 0; t < 20; t++) {
            if (t == 5) {
                straight.addParamGroup(unfreeze, "unfreeze");
            }
            straight.step(a, grad(t));
        }

        GroupedOptimizer first = fresh.get();
        INDArray b = theta0.dup();
        for (int t = 0; t < 10; t++) {
            if (t == 5) {
                first.addParamGroup(unfreeze, "unfreeze");
            }
            first.step(b, grad(t));
        }
        StateDict saved = first.stateDict();
        GroupedOptimizer second = fresh.get();
        second.addParamGroup(unfreeze, "unfreeze");
        second.loadStateDict(saved);
        for (int t = 10; t < 20; t++) {
            second.step(b, grad(t));
        }
        assertArrayEquals(a.toDoubleVector(), b.toDoubleVector());
        assertEquals(straight.stateDict().steps(), second.stateDict().steps());
        assertEquals(20L, second.stateDict().steps().get("fc1.weight"));
        assertEquals(15L, second.stateDict().steps().get("conv1.weight"), "added at step 5 of 20");
    }

    @Test
    void loadingAStateOfAnotherShapeIsRejectedBeforeAnythingChanges() {
        OptimizerSpec s = spec("adam", List.of(new GroupSpec(List.of("fc1"), List.of(), Map.of())), List.of(),
                List.of(), Clipping.NONE);
        GroupedOptimizer opt = Optimizers.create(s, layout);
        INDArray p = theta0.dup();
        opt.step(p, grad(0));
        StateDict good = opt.stateDict();

        GroupedOptimizer oneGroup = Optimizers.create(spec("adam", List.of(), List.of(), List.of(), Clipping.NONE),
                layout);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> oneGroup.loadStateDict(good));
        assertTrue(count.getMessage().contains("2 parameter groups") && count.getMessage().contains("has 1"),
                count.getMessage());

        java.util.Map<String, INDArray> buffers = new java.util.HashMap<>(good.buffers());
        buffers.put("fc1.weight/exp_avg", Nd4j.zeros(DataType.DOUBLE, 7));
        StateDict bad = new StateDict(good.groups(), good.steps(), buffers);
        StateDict before = opt.stateDict();
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(bad));
        assertTrue(size.getMessage().contains("fc1.weight/exp_avg") && size.getMessage().contains("7"),
                size.getMessage());
        assertEquals(before.steps(), opt.stateDict().steps());
        assertArrayEquals(before.buffers().get("fc1.weight/exp_avg").toDoubleVector(),
                opt.stateDict().buffers().get("fc1.weight/exp_avg").toDoubleVector());
    }

    @Test
    void badGroupsAreNamedWithTheValueFound() {
        assertMessage(List.of(new GroupSpec(List.of("fc1"), List.of(), Map.of()),
                        new GroupSpec(List.of(), List.of("fc1.*"), Map.of())), List.of(),
                "parameter 'fc1.weight' is in optimizer.groups[0] and in optimizer.groups[1]");
        assertMessage(List.of(new GroupSpec(List.of("fc9"), List.of(), Map.of())), List.of(),
                "optimizer.groups[0] names layer 'fc9', which does not exist");
        assertMessage(List.of(new GroupSpec(List.of(), List.of("head.*"), Map.of())), List.of(),
                "selects parameters 'head.*', which match none");
        assertMessage(List.of(new GroupSpec(List.of("fc1"), List.of(), Map.of("lr", -1.0))), List.of(),
                "Invalid learning rate: -1.0");
        assertMessage(List.of(new GroupSpec(List.of("fc1"), List.of(), Map.of("learning_rate", 0.1))), List.of(),
                "unknown key 'learning_rate'");
        assertMessage(List.of(), List.of("conv1", "conv2", "fc1", "fc2", "fc3"), "every parameter is frozen");
        GroupedOptimizer opt = Optimizers.create(spec("sgd", List.of(), List.of("conv1"), List.of(), Clipping.NONE),
                layout);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> opt.addParamGroup(GroupSpec.ofLayers(List.of("conv1", "fc1"), Map.of()), "late group"));
        assertTrue(twice.getMessage().contains("'fc1.weight' is in param group 0 and in late group"),
                twice.getMessage());
    }

    private static void assertMessage(List<GroupSpec> groups, List<String> frozen, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create(spec("adam", groups, frozen, List.of(), Clipping.NONE), layout));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void clippingByNormScalesTheGradientLikeClipGradNorm() {
        INDArray g = grad(3);
        double norm = g.norm2Number().doubleValue();
        double maxNorm = norm / 4;
        GroupedOptimizer clipped = Optimizers.create(spec("sgd", List.of(), List.of(), List.of(),
                new Clipping(maxNorm, 2, 0)), layout);
        GroupedOptimizer manual = Optimizers.create(spec("sgd", List.of(), List.of(), List.of(), Clipping.NONE), layout);
        INDArray a = theta0.dup();
        INDArray b = theta0.dup();
        clipped.step(a, g);
        manual.step(b, g.mul(maxNorm / (norm + 1e-6))); // torch.nn.utils.clip_grad_norm_'s coefficient
        assertArrayEquals(b.toDoubleVector(), a.toDoubleVector(), 1e-15);
        assertEquals(norm, g.norm2Number().doubleValue(), "the caller's gradient is not modified");

        GroupedOptimizer byValue = Optimizers.create(spec("sgd", List.of(), List.of(), List.of(),
                new Clipping(0, 2, 0.05)), layout);
        INDArray c = theta0.dup();
        byValue.step(c, g);
        INDArray d = theta0.dup();
        manual = Optimizers.create(spec("sgd", List.of(), List.of(), List.of(), Clipping.NONE), layout);
        manual.step(d, org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(g, -0.05), 0.05));
        assertArrayEquals(d.toDoubleVector(), c.toDoubleVector(), 1e-15);
    }
}
