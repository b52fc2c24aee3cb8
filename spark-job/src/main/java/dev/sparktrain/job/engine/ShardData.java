package dev.sparktrain.job.engine;

import dev.sparktrain.data.ArrayDataset;

import java.util.Iterator;

/** A shard partition holds exactly one {@link ArrayDataset}. */
final class ShardData {
    private ShardData() {
    }

    static ArrayDataset only(Iterator<ArrayDataset> it, int shard) {
        if (!it.hasNext()) {
            throw new IllegalStateException("partition " + shard + " holds no shard");
        }
        ArrayDataset d = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("partition " + shard + " holds more than one shard");
        }
        return d;
    }
}
