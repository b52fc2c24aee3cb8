package dev.sparktrain.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * PyTorch's DataLoader for one process: minibatches of a dataset in a {@link BatchPlan}'s order, read
 * and collated by {@code numWorkers} background threads that run up to {@code 2 x numWorkers} batches
 * ahead (prefetch_factor 2). The output order is the plan's whatever the number of workers; with 0
 * workers batches are loaded in the caller's thread when asked for.
 */
public final class DataLoader implements AutoCloseable {
    private final Dataset data;
    private final BatchPlan plan;
    private final int classes;
    private final DataType dtype;
    private final int numWorkers;
    private final ExecutorService pool;

    public DataLoader(Dataset data, BatchPlan plan, int classes, DataType dtype, int numWorkers) {
        if (numWorkers < 0) {
            throw new IllegalArgumentException("num_workers must be >= 0, found " + numWorkers);
        }
        if (plan.shards() != 1) {
            throw new IllegalArgumentException("a DataLoader reads the whole dataset: the plan must have 1 shard, found "
                    + plan.shards());
        }
        this.data = data;
        this.plan = plan;
        this.classes = classes;
        this.dtype = dtype;
        this.numWorkers = numWorkers;
        this.pool = numWorkers == 0 ? null : Executors.newFixedThreadPool(numWorkers, r -> {
            Thread t = new Thread(r, "data-loader");
            t.setDaemon(true);
            return t;
        });
    }

    /** Steps per epoch, {@code len(loader)}. */
    public int size() {
        return plan.stepsPerEpoch();
    }

    /** The minibatches of {@code epoch}, in the plan's order (with that epoch's random transforms). */
    public Iterator<DataSet> epoch(int epoch) {
        int[] order = plan.order(epoch, 0);
        Dataset view = data.forEpoch(epoch);
        List<int[]> batches = new ArrayList<>();
        for (int step = 0; step < plan.stepsPerEpoch(); step++) {
            batches.add(plan.batch(order, step));
        }
        return numWorkers == 0 ? inline(view, batches) : prefetched(view, batches);
    }

    private Iterator<DataSet> inline(Dataset view, List<int[]> batches) {
        Iterator<int[]> it = batches.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public DataSet next() {
                return view.batch(it.next(), classes, dtype);
            }
        };
    }

    private Iterator<DataSet> prefetched(Dataset view, List<int[]> batches) {
        ArrayDeque<Future<DataSet>> ahead = new ArrayDeque<>();
        Iterator<int[]> todo = batches.iterator();
        Runnable fill = () -> {
            while (ahead.size() < 2 * numWorkers && todo.hasNext()) {
                int[] idx = todo.next();
                ahead.add(pool.submit(() -> view.batch(idx, classes, dtype)));
            }
        };
        fill.run();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !ahead.isEmpty();
            }

            @Override
            public DataSet next() {
                Future<DataSet> head = ahead.poll();
                if (head == null) {
                    throw new NoSuchElementException();
                }
                fill.run();
                try {
                    return head.get();
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
        };
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
