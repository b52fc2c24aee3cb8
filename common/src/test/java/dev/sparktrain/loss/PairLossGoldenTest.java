package dev.sparktrain.loss;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MarginRankingLoss, CosineEmbeddingLoss, TripletMarginLoss and CTCLoss against PyTorch 1.13 (CPU):
 * every case's value and gradients with respect to every tensor input must match to 3e-14 relative
 * (|a - b| / max(1, |b|)) in float64, and to 2e-6 with the inputs cast to float32 (float32 rounding of
 * the inputs and the arithmetic, not more); NaN and infinity (CTC's impossible alignments) must appear
 * exactly where PyTorch has them. The largest errors measured are printed: 2.4e-15 in float64 (CTC's
 * log-space recursions; the others 1e-16 or less) and 1.2e-7 in float32. The fixture comes from
 * {@code src/test/python/gen_loss_pair_fixtures.py}; regenerate it with that script.
 */
class PairLossGoldenTest {
    private static final String FIXTURE = "/fixtures/losses_pair.json";
    private static final double TOLERANCE_F64 = 3e-14;
    private static final double TOLERANCE_F32 = 2e-6;
    private static JsonNode fixture;
    /** max relative error per "loss dtype" */
    private static final Map<String, Double> MAX_REL_ERROR = new ConcurrentHashMap<>();

    @BeforeAll
    static void readFixture() throws IOException {
        if (fixture != null) {
            return;
        }
        try (InputStream in = PairLossGoldenTest.class.getResourceAsStream(FIXTURE)) {
            assertNotNull(in, FIXTURE + " is missing from the test resources");
            fixture = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
        }
    }

    @AfterAll
    static void reportErrors() {
        System.out.println("max relative error vs PyTorch per loss and dtype: " + new TreeMap<>(MAX_REL_ERROR));
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

    private static long[] shape(JsonNode tensor) {
        JsonNode s = tensor.get("shape");
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).longValue();
        }
        return shape;
    }

    private static INDArray tensor(JsonNode t, DataType type) {
        if (t == null || t.isNull()) {
            return null;
        }
        long[] shape = shape(t);
        double[] data = doubles(t.get("data"));
        INDArray a = shape.length == 0 ? Nd4j.scalar(DataType.DOUBLE, data[0])
                : Nd4j.createFromArray(data).reshape('c', shape);
        return a.castTo(type);
    }

    private static double[] values(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    static Loss lossFor(JsonNode c) {
        JsonNode args = c.get("args");
        Reduction reduction = Reduction.parse(args.get("reduction").asText());
        switch (c.get("loss").asText()) {
            case "MarginRankingLoss":
                return new MarginRankingLoss(args.get("margin").doubleValue(), reduction);
            case "CosineEmbeddingLoss":
                return new CosineEmbeddingLoss(args.get("margin").doubleValue(), reduction);
            case "TripletMarginLoss":
                return new TripletMarginLoss(args.get("margin").doubleValue(), args.get("p").doubleValue(),
                        args.get("eps").doubleValue(), args.get("swap").booleanValue(), reduction);
            case "CTCLoss":
                return new CTCLoss(args.get("blank").intValue(), reduction, args.get("zero_infinity").booleanValue());
            default:
                throw new IllegalArgumentException("unknown loss " + c.get("loss"));
        }
    }

    private static void assertClose(String key, double tol, long[] expectedShape, double[] expected, INDArray actual,
                                    DataType type, String what) {
        assertNotNull(actual, what + " is null");
        assertEquals(type, actual.dataType(), what + ": dtype");
        assertArrayEquals(expectedShape, actual.shape(), what + ": shape");
        double[] got = values(actual);
        assertEquals(expected.length, got.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i]) || Double.isInfinite(expected[i])) {
                assertEquals(expected[i], got[i], what + "[" + i + "]: expected " + expected[i] + " but was " + got[i]);
                continue;
            }
            double rel = Math.abs(got[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
            MAX_REL_ERROR.merge(key, rel, Math::max);
            assertTrue(rel <= tol, what + "[" + i + "]: expected " + expected[i] + " but was " + got[i]);
        }
    }

    private static void check(String name, DataType type, double tol) {
        JsonNode c = testCase(name);
        Loss loss = lossFor(c);
        assertEquals(c.get("loss").asText(), loss.name());
        assertEquals(c.get("inputs").size(), loss.arity());
        boolean ctc = loss instanceof CTCLoss;
        List<INDArray> inputs = new ArrayList<>();
        List<INDArray> copies = new ArrayList<>();
        for (int i = 0; i < c.get("inputs").size(); i++) {
            // CTC's lengths (and targets) stay integer tensors
            INDArray in = tensor(c.get("inputs").get(i), ctc && i > 0 ? DataType.LONG : type);
            inputs.add(in);
            copies.add(in.dup());
        }
        INDArray target = tensor(c.get("target"), ctc ? DataType.LONG : type);
        LossValue v = loss.forward(inputs, target);
        for (int i = 0; i < inputs.size(); i++) {
            assertEquals(copies.get(i), inputs.get(i), name + ": forward modified input " + i);
        }
        String key = c.get("loss").asText() + " " + (type == DataType.DOUBLE ? "f64" : "f32");
        JsonNode value = c.get("value");
        assertClose(key, tol, shape(value), doubles(value.get("data")), v.value(), type, name + " value");
        assertEquals(c.get("grads").size(), v.gradients().size(), name + ": number of gradients");
        for (int i = 0; i < c.get("grads").size(); i++) {
            JsonNode g = c.get("grads").get(i);
            if (g.isNull()) {
                assertNull(v.gradients().get(i), name + ": input " + i + " has no gradient in PyTorch");
            } else {
                assertClose(key, tol, shape(g), doubles(g.get("data")), v.gradients().get(i), type,
                        name + " grad of input " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void valueAndGradientsMatchPyTorchInFloat64(String name) {
        check(name, DataType.DOUBLE, TOLERANCE_F64);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void valueAndGradientsMatchPyTorchInFloat32(String name) {
        check(name, DataType.FLOAT, TOLERANCE_F32);
    }

    @Test
    void theFixtureCoversEveryLossAndReductionAndOption() {
        assertEquals("float64", fixture.get("dtype").asText());
        Set<String> lossReductions = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (JsonNode c : fixture.get("cases")) {
            lossReductions.add(c.get("loss").asText() + "/" + c.get("args").get("reduction").asText());
            names.add(c.get("name").asText());
        }
        for (String loss : List.of("MarginRankingLoss", "CosineEmbeddingLoss", "TripletMarginLoss", "CTCLoss")) {
            for (String r : List.of("none", "mean", "sum")) {
                assertTrue(lossReductions.contains(loss + "/" + r), loss + "/" + r + " is not covered");
            }
        }
        for (String n : List.of("ctc_blank0_padded_mean", "ctc_blank4_concat_mean", "ctc_impossible_zero_infTrue_mean",
                "ctc_impossible_zero_infFalse_none", "triplet_m1.0_p1.0_swapFalse_sum", "triplet_m0.5_p2.0_swapTrue_none",
                "cosine_zero_row_mean", "margin_ranking_m0.5_none")) {
            assertTrue(names.contains(n), n + " is missing");
        }
    }

    @Test
    void defaultsAreTorchs() {
        MarginRankingLoss mr = new MarginRankingLoss();
        assertEquals(0.0, mr.margin());
        assertEquals(Reduction.MEAN, mr.reduction());
        CosineEmbeddingLoss ce = new CosineEmbeddingLoss();
        assertEquals(0.0, ce.margin());
        assertEquals(Reduction.MEAN, ce.reduction());
        TripletMarginLoss t = new TripletMarginLoss();
        assertEquals(List.of(1.0, 2.0, 1e-6, false), List.of(t.margin(), t.p(), t.eps(), t.swap()));
        assertEquals(Reduction.MEAN, t.reduction());
        CTCLoss ctc = new CTCLoss();
        assertEquals(0, ctc.blank());
        assertEquals(Reduction.MEAN, ctc.reduction());
        assertEquals(false, ctc.zeroInfinity());
        assertEquals(List.of(2, 2, 3, 3), Arrays.asList(mr.arity(), ce.arity(), t.arity(), ctc.arity()));
    }
}
