package dev.sparktrain.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetchTest {

    /** A batch whose single feature is its step number. */
    private static DataSet stepBatch(int step) {
        return new DataSet(Nd4j.scalar((float) step).reshape(1, 1), Nd4j.zeros(1, 1));
    }

    private static List<Integer> drain(Prefetch p) {
        List<Integer> steps = new ArrayList<>();
        while (p.hasNext()) {
            int expected = p.nextStep();
            steps.add((int) p.take(expected).getFeatures().getFloat(0));
        }
        return steps;
    }

    @Test
    void stepsComeInOrderForAnyNumberOfWorkers() {
        List<Integer> expected = List.of(5, 6, 7, 8, 9, 10, 11);
        for (int workers : new int[]{0, 1, 2, 3, 16}) {
            try (Prefetch p = new Prefetch(PrefetchTest::stepBatch, 5, 7, workers)) {
                assertEquals(expected, drain(p), "workers " + workers);
                assertFalse(p.hasNext());
            }
        }
    }

    @Test
    void workersStayWithinTwiceTheirNumberAheadAndTheirNumberAtOnce() {
        int workers = 2;
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        IntFunction<DataSet> slowLoad = step -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            // steps started but not yet taken, this one included
            maxAhead.accumulateAndGet(step - taken.get() + 1, Math::max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return stepBatch(step);
        };
        try (Prefetch p = new Prefetch(slowLoad, 0, 30, workers)) {
            while (p.hasNext()) {
                p.next();
                taken.incrementAndGet();
            }
        }
        assertTrue(maxAhead.get() <= 2 * workers + 1, "steps loaded ahead of the caller: " + maxAhead.get());
        assertTrue(maxRunning.get() <= workers, "loads at once: " + maxRunning.get());
    }

    @Test
    void aLoadErrorReachesTheCallerUnchanged() {
        DataException boom = new DataException("cannot read file:///d/3.png: not an image");
        try (Prefetch p = new Prefetch(step -> {
            if (step == 3) {
                throw boom;
            }
            return stepBatch(step);
        }, 0, 6, 2)) {
            for (int s = 0; s < 3; s++) {
                p.next();
            }
            assertSame(boom, assertThrows(DataException.class, p::next));
        }
    }

    @Test
    void stepsMustBeTakenInOrder() {
        try (Prefetch p = new Prefetch(PrefetchTest::stepBatch, 0, 4, 1)) {
            p.take(0);
            String m = assertThrows(IllegalStateException.class, () -> p.take(2)).getMessage();
            assertTrue(m.contains("step 2") && m.contains("next loaded step is 1"), m);
        }
        assertThrows(IllegalArgumentException.class, () -> new Prefetch(PrefetchTest::stepBatch, 0, 4, -1));
    }
}
