package dev.sparktrain.job.engine;

import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The model replicas of this executor JVM, built once per model spec and reused by every task of
 * the run. Concurrent tasks each borrow their own. Replicas hold no training state: every task sets
 * the broadcast parameters first.
 */
public final class ReplicaPool {
    private static final Map<ModelSpec, Queue<Replica>> IDLE = new ConcurrentHashMap<>();
    private static final AtomicInteger BUILT = new AtomicInteger();

    private ReplicaPool() {
    }

    /** Runs {@code work} with a replica of {@code spec} borrowed for its duration. */
    public static <T> T withReplica(ModelSpec spec, Function<Replica, T> work) {
        Replica replica = borrow(spec);
        try {
            return work.apply(replica);
        } finally {
            release(replica);
        }
    }

    /**
     * A replica of {@code spec} for work longer than one call (a lazily consumed partition); give it back
     * with {@link #release}. One that is never given back (a failed task) is left to the collector.
     */
    public static Replica borrow(ModelSpec spec) {
        Replica r = IDLE.computeIfAbsent(spec, s -> new ConcurrentLinkedQueue<>()).poll();
        if (r == null) {
            r = new Replica(spec);
            BUILT.incrementAndGet();
        }
        return r;
    }

    /** Returns a replica taken with {@link #borrow} to the pool. */
    public static void release(Replica replica) {
        IDLE.computeIfAbsent(replica.spec(), s -> new ConcurrentLinkedQueue<>()).add(replica);
    }

    /** How many replicas this JVM has built so far (for tests and logs). */
    public static int built() {
        return BUILT.get();
    }
}
