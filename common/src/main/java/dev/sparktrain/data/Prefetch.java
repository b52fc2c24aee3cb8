package dev.sparktrain.data;

import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The minibatches of steps {@code first .. first + count - 1}, in that order, loaded by {@code workers}
 * background threads that run up to {@code 2 x workers} steps ahead of the caller (PyTorch's
 * {@code num_workers} with prefetch_factor 2). With 0 workers, or a single step, each step is loaded in
 * the caller's thread when asked for. The batches are the same whatever the number of workers: only
 * the thread that builds them differs, and random transforms depend on (seed, epoch, example) alone.
 *
 * <p>The threads belong to this object; they end when the last step has been loaded, or at
 * {@link #close()}, which abandons the steps not taken.
 */
public final class Prefetch implements Iterator<DataSet>, AutoCloseable {
    private final IntFunction<DataSet> load;
    private final int end;
    private final int ahead;
    private final ThreadPoolExecutor pool;
    private final ArrayDeque<Future<DataSet>> loading = new ArrayDeque<>();
    private int nextStep;
    private int submitted;

    public Prefetch(IntFunction<DataSet> load, int first, int count, int workers) {
        if (workers < 0) {
            throw new IllegalArgumentException("num_workers must be >= 0, found " + workers);
        }
        if (count < 0) {
            throw new IllegalArgumentException("step count must be >= 0, found " + count);
        }
        this.load = load;
        this.nextStep = first;
        this.submitted = first;
        this.end = first + count;
        int threads = count <= 1 ? 0 : Math.min(workers, count);
        this.ahead = 2 * threads;
        this.pool = threads == 0 ? null : pool(threads);
        fill();
    }

    private static ThreadPoolExecutor pool(int threads) {
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "data-loader");
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true); // an abandoned, unclosed prefetch leaves no idle threads behind
        return p;
    }

    /** The step {@link #next()} returns. */
    public int nextStep() {
        return nextStep;
    }

    @Override
    public boolean hasNext() {
        return nextStep < end;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("every step up to " + (end - 1) + " has been taken");
        }
        int step = nextStep++;
        if (pool == null) {
            return load.apply(step);
        }
        Future<DataSet> head = loading.poll();
        fill();
        return await(head);
    }

    /** The minibatch of {@code step}, which must be {@link #nextStep()}: steps are taken in order. */
    public DataSet take(int step) {
        if (step != nextStep) {
            throw new IllegalStateException("minibatch of step " + step + " asked for, but the next loaded step is "
                    + nextStep + " (steps " + nextStep + " to " + (end - 1) + " remain)");
        }
        return next();
    }

    private void fill() {
        if (pool == null) {
            return;
        }
        while (loading.size() < ahead && submitted < end) {
            int step = submitted++;
            loading.add(pool.submit(() -> load.apply(step)));
        }
        if (submitted == end) {
            pool.shutdown(); // the queued loads still run; the threads end after the last
        }
    }

    private static DataSet await(Future<DataSet> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while loading a minibatch", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r; // a DataException naming the file stays as it is
            }
            throw new DataException("loading a minibatch failed: " + c, c);
        }
    }

    /** Stops the workers; steps not taken are abandoned. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            loading.clear();
        }
    }
}
