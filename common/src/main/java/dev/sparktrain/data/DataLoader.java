package dev.sparktrain.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * PyTorch's DataLoader for one process: minibatches of a dataset in a {@link BatchPlan}'s order, read
 * and collated by {@code numWorkers} background threads that run up to {@code 2 x numWorkers} batches
 * ahead (prefetch_factor 2; see {@link Prefetch}). The output order is the plan's whatever the number
 * of workers; with 0 workers batches are loaded in the caller's thread when asked for.
 */
public final class DataLoader implements AutoCloseable {
    private final Dataset data;
    private final BatchPlan plan;
    private final int classes;
    private final DataType dtype;
    private final int numWorkers;
    private final List<Prefetch> open = new ArrayList<>();

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
    }

    /** Steps per epoch, {@code len(loader)}. */
    public int size() {
        return plan.stepsPerEpoch();
    }

    /** The minibatches of {@code epoch}, in the plan's order (with that epoch's random transforms). */
    public Iterator<DataSet> epoch(int epoch) {
        int[] order = plan.order(epoch, 0);
        Dataset view = data.forEpoch(epoch);
        Prefetch batches = new Prefetch(step -> view.batch(plan.batch(order, step), classes, dtype), 0,
                plan.stepsPerEpoch(), numWorkers);
        synchronized (open) {
            open.removeIf(p -> !p.hasNext()); // finished epochs: their threads have ended
            open.add(batches);
        }
        return batches;
    }

    /** Stops the workers of every epoch iterator handed out. */
    @Override
    public void close() {
        synchronized (open) {
            open.forEach(Prefetch::close);
            open.clear();
        }
    }
}
