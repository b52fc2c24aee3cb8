package dev.sparktrain.job.engine;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import org.apache.spark.broadcast.Broadcast;

import java.util.Iterator;

/** One round on one shard, inside a Spark task. Carries only the broadcast handle and small specs. */
final class RoundTask extends RoundJob {
    private static final long serialVersionUID = 3L;
    private final ShardRounds work;

    RoundTask(Broadcast<RawMessage> request, ShardRounds work) {
        super(request);
        this.work = work;
    }

    @Override
    protected RoundResult call(int shard, Iterator<Dataset> data) {
        RoundRequest r = request();
        return ReplicaPool.withReplica(work.spec(), work.device().enter(),
                replica -> work.on(data, shard, replica).apply(r));
    }
}
