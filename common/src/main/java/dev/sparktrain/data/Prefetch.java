package dev.sparktrain.data;

import org.nd4j.linalg.dataset.DataSet;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Minibatch prefetch inside a worker's round: while step s trains, step s + 1 is read and collated on
 * a background thread (lazy datasets decode their files there). The batches are the same as without
 * prefetch; only the thread that builds them differs.
 */
public final class Prefetch {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "batch-prefetch");
        t.setDaemon(true);
        return t;
    });

    private Prefetch() {
    }

    /** {@code load} for steps {@code first .. first + count - 1}, each next step loaded ahead. */
    public static IntFunction<DataSet> ahead(IntFunction<DataSet> load, int first, int count) {
        if (count <= 1) {
            return load;
        }
        return new IntFunction<>() {
            private Future<DataSet> next;
            private int nextStep = -1;

            @Override
            public DataSet apply(int step) {
                DataSet current = next != null && nextStep == step ? await(next) : load.apply(step);
                next = null;
                if (step + 1 < first + count) {
                    nextStep = step + 1;
                    next = POOL.submit(() -> load.apply(step + 1));
                }
                return current;
            }
        };
    }

    private static DataSet await(Future<DataSet> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while prefetching a minibatch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new DataException("prefetching a minibatch failed: " + e.getCause(), e.getCause());
        }
    }
}
