package dev.sparktrain.job.engine;

import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import org.apache.spark.broadcast.Broadcast;

/**
 * A round as one Spark job: the request comes in a broadcast and the results go back to the driver in
 * {@link RawMessage} form (the partial sums of Spark's tree too, where it is used), so the round's
 * arrays cross processes raw both ways.
 */
public abstract class RoundJob extends ShardJob<RoundResult> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<RawMessage> request;

    protected RoundJob(Broadcast<RawMessage> request) {
        this.request = request;
    }

    /** The round's request, decoded in this task. */
    protected RoundRequest request() {
        return (RoundRequest) request.value().decode();
    }

    @Override
    protected final Object encode(RoundResult result) {
        return RawMessage.of(result);
    }

    @Override
    protected final RoundResult decode(Object sent) {
        return (RoundResult) ((RawMessage) sent).decode();
    }
}
