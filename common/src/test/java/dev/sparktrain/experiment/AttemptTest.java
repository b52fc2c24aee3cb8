package dev.sparktrain.experiment;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YARN attempt a driver runs in, from the application id Spark sets and the container id YARN sets. */
class AttemptTest {
    @Test
    void readsTheAttemptFromTheApplicationMastersContainerId() {
        assertEquals(Optional.of(new Attempt("application_1796691380832_0004", 2)),
                Attempt.of("application_1796691380832_0004", "container_1796691380832_0004_02_000001"));
        // with the ResourceManager's epoch (after an RM restart), and past 9999 applications
        assertEquals(Optional.of(new Attempt("application_1796691380832_12345", 1)),
                Attempt.of("application_1796691380832_12345", "container_e17_1796691380832_12345_01_000001"));
    }

    @Test
    void noAttemptOutsideAYarnApplicationMasterOrForAnotherApplicationsContainer() {
        assertEquals(Optional.empty(), Attempt.of(null, "container_1796691380832_0004_02_000001"), "client mode");
        assertEquals(Optional.empty(), Attempt.of("application_1796691380832_0004", null), "not in a container");
        assertEquals(Optional.empty(), Attempt.of("application_1796691380832_0004", "container_1796691380832_0005_02_000001"));
        assertEquals(Optional.empty(), Attempt.of("application_1796691380832_0004", "not-a-container"));
    }

    @Test
    void aLaterAttemptFollowsAnEarlierOneOfTheSameApplicationOnly() {
        Attempt second = new Attempt("application_1_0004", 2);
        assertTrue(second.follows(new Attempt("application_1_0004", 1)));
        assertFalse(second.follows(new Attempt("application_1_0004", 2)));
        assertFalse(second.follows(new Attempt("application_1_0005", 1)));
        assertFalse(second.follows(null));
        assertEquals("attempt 2 of application_1_0004", second.toString());
    }
}
