package dev.sparktrain.job.engine;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.train.ShardStepper;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Iterator;

/** Forward-only evaluation of one validation shard at the broadcast parameters. */
final class EvalTask extends ShardJob<Evaluation> {
    private static final long serialVersionUID = 2L;
    private final Broadcast<INDArray> params;
    private final ModelSpec spec;
    private final int classes;
    private final TaskDevice device;
    private final int numWorkers;

    EvalTask(Broadcast<INDArray> params, ModelSpec spec, int classes, TaskDevice device, int numWorkers) {
        this.params = params;
        this.spec = spec;
        this.classes = classes;
        this.device = device;
        this.numWorkers = numWorkers;
    }

    @Override
    protected Evaluation call(int shard, Iterator<Dataset> data) {
        String key = device.enter();
        Dataset shardData = ShardData.only(data, shard);
        return ReplicaPool.withReplica(spec, key,
                replica -> ShardStepper.evaluate(replica, shardData, params.value(), classes, 1000, numWorkers));
    }
}
