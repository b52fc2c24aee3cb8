package dev.sparktrain.trainer;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder's settings become the config a file with the same values gives, checked the same way. */
class TrainerBuilderTest {

    @Test
    void optimizerAndSchedulerFromJavaEqualTheFilesBlocks() {
        JobConfig fromJava = Trainer.builder()
                .optimizer("sgd", 0.1, Map.of("momentum", 0.9, "nesterov", true, "weight_decay", 5e-4))
                .scheduler("cosine", Map.of("T_max", 10), true)
                .loss("smooth_l1", Map.of("beta", 0.5))
                .epochs(3).batchSize(16).workers(3).averagingFrequency(1).seed(7)
                .build().config();
        JobConfig fromFile = ConfigLoader.parse("""
                optimizer { type = sgd, lr = 0.1, momentum = 0.9, nesterov = true, weight-decay = 5e-4 }
                scheduler { type = cosine, T_max = 10, interval = step }
                loss { type = smooth_l1, beta = 0.5 }
                train { epochs = 3, batch-size = 16, workers = 3, averaging-frequency = 1, seed = 7 }
                """, List.of());
        assertEquals(fromFile.optimizer(), fromJava.optimizer());
        assertEquals(fromFile.scheduler(), fromJava.scheduler());
        assertEquals(fromFile.model(), fromJava.model());
        assertEquals(fromFile.train(), fromJava.train());
        assertEquals(0.9, fromJava.optimizer().defaults().number("momentum"));
    }

    @Test
    void anOptimizerReplacesTheBasesBlock() {
        JobConfig base = ConfigLoader.parse("optimizer { type = adam, lr = 0.01, betas = [0.8, 0.9] }\n"
                + "scheduler { type = step, step_size = 2 }", List.of());
        JobConfig c = Trainer.builder(base).optimizer("sgd", 0.05).scheduler("exponential", Map.of("gamma", 0.9))
                .build().config();
        assertEquals("sgd", c.optimizer().type(), "adam's betas are not carried over to sgd");
        assertEquals(0.05, c.optimizer().defaults().lr());
        assertEquals(Map.of("type", "exponential", "gamma", 0.9), c.scheduler().spec(), "no step_size left over");
        assertFalse(c.scheduler().perStep());
        assertArrayEquals(new double[]{0.8, 0.9}, Trainer.builder(base).set("optimizer.lr", 0.5).build().config()
                .optimizer().defaults().pair("betas"), "set changes one key and keeps the rest");
    }

    @Test
    void badValuesGetTheFilesMessages() {
        String fromJava = assertThrows(ConfigException.class, () -> Trainer.builder()
                .optimizer("sgd", 0.1, Map.of("momentum", -1)).build()).getMessage();
        String fromFile = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "optimizer { type = sgd, lr = 0.1, momentum = -1 }", List.of())).getMessage();
        assertEquals(fromFile, fromJava);
        assertTrue(fromJava.contains("Invalid momentum value: -1") && fromJava.contains("optimizer.momentum"), fromJava);
        assertEquals(assertThrows(ConfigException.class, () -> ConfigLoader.parse("", List.of("train.workers=0")))
                .getMessage(), assertThrows(ConfigException.class, () -> Trainer.builder().workers(0).build())
                .getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> Trainer.builder().optimizer("adam", 0.1,
                Map.of("momentum", 0.9)).build()).getMessage().contains("optimizer adam takes"));
    }
}
