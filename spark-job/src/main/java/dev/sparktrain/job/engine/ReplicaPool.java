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
 * The model replicas of this executor JVM, built once per model spec and device (the CPU, or each GPU
 * the executor's tasks were given) and reused by every task of the run. Concurrent tasks each borrow
 * their own. Replicas hold no training state: every task sets the broadcast parameters first.
 */
public final class ReplicaPool {
    private record Key(ModelSpec spec, String device) {
    }

    private static final Map<Key, Queue<Replica>> IDLE = new ConcurrentHashMap<>();
    private static final Map<Replica, String> DEVICE = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    private static final AtomicInteger BUILT = new AtomicInteger();

    private ReplicaPool() {
    }

    /** Runs {@code work} with a CPU replica of {@code spec} borrowed for its duration. */
    public static <T> T withReplica(ModelSpec spec, Function<Replica, T> work) {
        return withReplica(spec, TaskDevice.CPU, work);
    }

    /** Runs {@code work} with a replica of {@code spec} on {@code device} (the task's, entered) borrowed for its duration. */
    public static <T> T withReplica(ModelSpec spec, String device, Function<Replica, T> work) {
        Replica replica = borrow(spec, device);
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
        return borrow(spec, TaskDevice.CPU);
    }

    /** As {@link #borrow(ModelSpec)}, on {@code device}: built there (after the task bound it) and kept for it. */
    public static Replica borrow(ModelSpec spec, String device) {
        Replica r = IDLE.computeIfAbsent(new Key(spec, device), s -> new ConcurrentLinkedQueue<>()).poll();
        if (r == null) {
            r = new Replica(spec);
            DEVICE.put(r, device);
            BUILT.incrementAndGet();
        }
        return r;
    }

    /** Returns a replica taken with {@link #borrow} to the pool of its device. */
    public static void release(Replica replica) {
        String device = DEVICE.getOrDefault(replica, TaskDevice.CPU);
        IDLE.computeIfAbsent(new Key(replica.spec(), device), s -> new ConcurrentLinkedQueue<>()).add(replica);
    }

    /** How many replicas this JVM has built so far (for tests and logs). */
    public static int built() {
        return BUILT.get();
    }
}
