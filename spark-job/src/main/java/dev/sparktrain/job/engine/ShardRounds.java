package dev.sparktrain.job.engine;

import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import dev.sparktrain.train.ShardStepper;

import java.io.Serializable;
import java.util.Iterator;
import java.util.function.Function;

/**
 * What a task needs to run rounds on its shard, whichever way the rounds reach it: the batch plan,
 * the model, the class count, its device (CPU thread budget or GPU) and data.num-workers. Small: no
 * examples and no parameters travel with it.
 */
record ShardRounds(BatchPlan plan, ModelSpec spec, int classes, TaskDevice device, int numWorkers)
        implements Serializable {

    /** Takes the partition's one shard and runs rounds on it with {@code replica} (the device already entered). */
    Function<RoundRequest, RoundResult> on(Iterator<Dataset> partition, int shard, Replica replica) {
        Dataset data = ShardData.only(partition, shard);
        ShardStepper stepper = new ShardStepper(plan, classes, numWorkers);
        return request -> stepper.run(replica, data, shard, request);
    }
}
