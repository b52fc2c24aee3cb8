package dev.sparktrain.job.engine;

import dev.sparktrain.data.Dataset;

import java.util.Iterator;

/** A shard partition holds exactly one {@link Dataset}. */
final class ShardData {
    private ShardData() {
    }

    static Dataset only(Iterator<Dataset> it, int shard) {
        if (!it.hasNext()) {
            throw new IllegalStateException("partition " + shard + " holds no shard");
        }
        Dataset d = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("partition " + shard + " holds more than one shard");
        }
        return d;
    }
}
