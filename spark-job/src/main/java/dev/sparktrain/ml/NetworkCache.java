package dev.sparktrain.ml;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The fitted networks of this JVM, keyed by their model.zip's SHA-256: each is restored once per JVM
 * (driver or executor) and lent to scoring tasks as copies, one per thread at a time, which come back
 * when a task has scored its partition. The few models used last are kept.
 */
final class NetworkCache {
    private static final int MODELS = 4;
    private static final int IDLE_COPIES = 16;
    private static final Map<String, Cached> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MODELS;
        }
    };

    private record Cached(LoadedNetwork template, Deque<LoadedNetwork> idle) {
    }

    private NetworkCache() {
    }

    /** A network of its own for the calling thread; {@code zip} is read only if this JVM has not restored it. */
    static LoadedNetwork borrow(String sha256, Supplier<byte[]> zip) {
        Cached e;
        synchronized (CACHE) {
            e = CACHE.get(sha256);
            if (e != null && !e.idle().isEmpty()) {
                return e.idle().pop();
            }
        }
        if (e == null) {
            LoadedNetwork restored = LoadedNetwork.restore(zip.get()); // outside the lock: other models score meanwhile
            synchronized (CACHE) {
                e = CACHE.computeIfAbsent(sha256, k -> new Cached(restored, new ArrayDeque<>()));
            }
        }
        synchronized (e.template()) {
            return e.template().copy();
        }
    }

    /** Keeps {@code restored} as the template of its model when this JVM has none yet (the driver's check at fit or load). */
    static void offer(String sha256, LoadedNetwork restored) {
        synchronized (CACHE) {
            CACHE.putIfAbsent(sha256, new Cached(restored, new ArrayDeque<>()));
        }
    }

    /** Returns a borrowed network for the next task. */
    static void giveBack(String sha256, LoadedNetwork net) {
        synchronized (CACHE) {
            Cached e = CACHE.get(sha256);
            if (e != null && e.idle().size() < IDLE_COPIES) {
                e.idle().push(net);
            }
        }
    }
}
