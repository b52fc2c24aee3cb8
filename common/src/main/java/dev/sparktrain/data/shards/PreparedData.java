package dev.sparktrain.data.shards;

import dev.sparktrain.data.Dataset;

import java.util.List;

/** A run's P training shards and P validation shards, held in this process. */
public record PreparedData(List<Dataset> train, List<Dataset> val) {

    public PreparedData {
        train = List.copyOf(train);
        val = List.copyOf(val);
    }

    /** The training shards' sizes, for the {@link dev.sparktrain.data.BatchPlan}. */
    public int[] trainSizes() {
        return train.stream().mapToInt(Dataset::size).toArray();
    }

    public long trainSize() {
        return train.stream().mapToLong(Dataset::size).sum();
    }

    public long valSize() {
        return val.stream().mapToLong(Dataset::size).sum();
    }
}
