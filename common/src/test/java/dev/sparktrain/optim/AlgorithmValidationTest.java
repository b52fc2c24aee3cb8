package dev.sparktrain.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Each {@link Algorithm}'s {@code validate} raises torch.optim's constructor errors: the messages named in its
 * brief, and every case of the fixture's "validation" list, which records what PyTorch 1.13 itself
 * raised ({@code src/test/python/gen_optim_rules_fixtures.py}).
 */
class AlgorithmValidationTest {
    private static JsonNode fixture;

    @BeforeAll
    static void readFixture() throws IOException {
        try (InputStream in = AlgorithmValidationTest.class.getResourceAsStream("/fixtures/optim_rules.json")) {
            assertNotNull(in, "optim_rules.json is missing from the test resources");
            fixture = new ObjectMapper().readTree(in);
        }
    }

    private static String message(String type, Object... keysAndValues) {
        HyperParams h = TorchHyperParams.of(type, keysAndValues);
        return assertThrows(IllegalArgumentException.class, () -> Algorithms.get(type).validate(h)).getMessage();
    }

    @Test
    void theMessagesAreTorchs() {
        assertEquals("Invalid learning rate: -0.1", message("sgd", "lr", -0.1));
        assertEquals("Invalid learning rate: -0.1", message("adamw", "lr", -0.1));
        assertEquals("Invalid momentum value: -1.0", message("sgd", "lr", 0.1, "momentum", -1.0));
        assertEquals("Invalid momentum value: -1.0", message("rmsprop", "lr", 0.01, "momentum", -1.0));
        assertEquals("Invalid weight_decay value: -0.1", message("sgd", "lr", 0.1, "weight_decay", -0.1));
        assertEquals("Invalid weight_decay value: -0.1", message("adagrad", "lr", 0.1, "weight_decay", -0.1));
        assertEquals("Invalid epsilon value: -1e-08", message("adam", "lr", 1e-3, "eps", -1e-8));
        assertEquals("Invalid epsilon value: -1e-08", message("rmsprop", "lr", 1e-2, "eps", -1e-8));
        assertEquals("Invalid beta parameter at index 0: 1.0",
                message("adam", "lr", 1e-3, "betas", new double[] {1.0, 0.999}));
        assertEquals("Invalid beta parameter at index 1: 1.5",
                message("adamw", "lr", 1e-3, "betas", new double[] {0.9, 1.5}));
        assertEquals("Nesterov momentum requires a momentum and zero dampening",
                message("sgd", "lr", 0.1, "nesterov", true));
        assertEquals("Nesterov momentum requires a momentum and zero dampening",
                message("sgd", "lr", 0.1, "nesterov", true, "momentum", 0.9, "dampening", 0.1));
        assertEquals("Invalid alpha value: -0.5", message("rmsprop", "lr", 0.01, "alpha", -0.5));
        assertEquals("Invalid lr_decay value: -0.1", message("adagrad", "lr", 0.1, "lr_decay", -0.1));
        assertEquals("Invalid initial_accumulator_value value: -1.0",
                message("adagrad", "lr", 0.1, "initial_accumulator_value", -1.0));
        assertEquals("Invalid momentum_decay value: -0.004", message("nadam", "lr", 2e-3, "momentum_decay", -0.004));
        assertEquals("Invalid beta parameter at index 1: 1.0",
                message("radam", "lr", 1e-3, "betas", new double[] {0.9, 1.0}));
    }

    @Test
    void theRejectedParameterIsNamedForTheConfigKey() {
        HyperParams h = TorchHyperParams.of("nadam", "lr", 2e-3, "momentum_decay", -1.0);
        HyperParamException e = assertThrows(HyperParamException.class, () -> Algorithms.get("nadam").validate(h));
        assertEquals("momentum_decay", e.param());
    }

    @Test
    void theFirstFailingCheckInTorchsOrderWins() {
        assertEquals("Invalid learning rate: -1.0",
                message("sgd", "lr", -1.0, "momentum", -1.0, "nesterov", true));
        assertEquals("Invalid epsilon value: -1.0",
                message("adam", "lr", 1e-3, "eps", -1.0, "betas", new double[] {2.0, 2.0}));
        assertEquals("Invalid momentum value: -1.0",
                message("rmsprop", "lr", 1e-2, "alpha", -1.0, "momentum", -1.0));
    }

    static Stream<Integer> validationCases() throws IOException {
        readFixture();
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < fixture.get("validation").size(); i++) {
            indices.add(i);
        }
        return indices.stream();
    }

    @ParameterizedTest(name = "fixture case {0}")
    @MethodSource("validationCases")
    void pyTorchRaisesTheSameForTheFixturesArguments(int index) {
        JsonNode c = fixture.get("validation").get(index);
        String type = c.get("type").asText();
        HyperParams h = TorchHyperParams.of(type, c.get("kwargs"));
        if (c.get("message").isNull()) {
            assertDoesNotThrow(() -> Algorithms.get(type).validate(h), c.toString());
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Algorithms.get(type).validate(h), c.toString());
            assertEquals(c.get("message").asText(), e.getMessage(), c.toString());
        }
    }

    @Test
    void numbersArePrintedAsPythonPrintsThem() {
        for (JsonNode r : fixture.get("float_reprs")) {
            double v = Double.parseDouble(r.get("value").asText());
            assertEquals(r.get("repr").asText(), PyRepr.of(v), r.toString());
        }
    }

    @Test
    void torchsDefaultsAreValid() {
        for (String type : Algorithms.names()) {
            assertDoesNotThrow(() -> Algorithms.get(type).validate(HyperParams.defaults(type, 0.01)), type);
        }
    }

    @Test
    void anUnknownTypeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Algorithms.get("lbfgs"));
        assertEquals("unknown optimizer type 'lbfgs', expected one of sgd, adam, adamw, rmsprop, adagrad, nadam, radam",
                e.getMessage());
    }
}
