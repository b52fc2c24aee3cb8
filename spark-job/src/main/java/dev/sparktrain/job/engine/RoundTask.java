package dev.sparktrain.job.engine;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

import java.util.Iterator;
import java.util.List;

/** One round on one shard, inside a Spark task. Carries only the broadcast handle and small specs. */
final class RoundTask implements Function2<Integer, Iterator<Dataset>, Iterator<RoundResult>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<RoundRequest> request;
    private final ShardRounds work;

    RoundTask(Broadcast<RoundRequest> request, ShardRounds work) {
        this.request = request;
        this.work = work;
    }

    @Override
    public Iterator<RoundResult> call(Integer shard, Iterator<Dataset> data) {
        RoundResult result = ReplicaPool.withReplica(work.spec(), work.device().enter(),
                replica -> work.on(data, shard, replica).apply(request.value()));
        return List.of(result).iterator();
    }
}
