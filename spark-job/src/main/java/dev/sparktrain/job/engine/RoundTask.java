package dev.sparktrain.job.engine;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import dev.sparktrain.train.ShardStepper;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

import java.util.Iterator;
import java.util.List;

/** One round on one shard, inside a Spark task. Carries only the broadcast handle and small specs. */
final class RoundTask implements Function2<Integer, Iterator<Dataset>, Iterator<RoundResult>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<RoundRequest> request;
    private final BatchPlan plan;
    private final ModelSpec spec;
    private final int classes;
    private final int threads;
    private final int numWorkers;

    RoundTask(Broadcast<RoundRequest> request, BatchPlan plan, ModelSpec spec, int classes, int threads,
              int numWorkers) {
        this.request = request;
        this.plan = plan;
        this.spec = spec;
        this.classes = classes;
        this.threads = threads;
        this.numWorkers = numWorkers;
    }

    @Override
    public Iterator<RoundResult> call(Integer shard, Iterator<Dataset> data) {
        ThreadBudget.apply(threads);
        Dataset shardData = ShardData.only(data, shard);
        ShardStepper stepper = new ShardStepper(plan, classes, numWorkers);
        RoundResult result = ReplicaPool.withReplica(spec,
                replica -> stepper.run(replica, shardData, shard, request.value()));
        return List.of(result).iterator();
    }
}
