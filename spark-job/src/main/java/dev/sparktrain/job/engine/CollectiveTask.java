package dev.sparktrain.job.engine;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.StateDict;
import dev.sparktrain.train.CollectiveWorker;
import dev.sparktrain.train.RoundControl;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.Partition;
import org.apache.spark.rdd.RDD;
import org.apache.spark.SparkEnv;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A task of the collective transport's barrier stage: it holds its training and validation shards,
 * opens its mesh socket, learns its peers' addresses from Spark ({@code BarrierTaskContext.allGather}),
 * connects to them ({@link PeerMesh}) and to the driver, then answers the driver's messages with a
 * {@link CollectiveWorker} until told to stop. Spark starts the P tasks of a barrier stage together or
 * not at all, and ends them all when one fails.
 */
final class CollectiveTask extends AbstractFunction1<Iterator<Integer>, Iterator<Object>> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The state to train from (each task keeps what its window needs). */
    record Load(INDArray params, OptimizerSpec spec, StateDict state, boolean synchronous) implements Serializable {
    }

    /** Asks for the task's window of the parameters and of the optimizer state. */
    record Pull() implements Serializable {
    }

    /** A task's window of the state. */
    record Window(INDArray params, StateDict state) implements Serializable {
    }

    /** Validation at the given parameters, or (null) at the current ones. */
    record Eval(INDArray params) implements Serializable {
    }

    private final String host;
    private final int port;
    private final String secret;
    private final ShardRounds work;
    private final long timeoutMs;
    private final RDD<Dataset> train;
    private final RDD<Dataset> val;
    private final Partition[] trainParts;
    private final Partition[] valParts;

    CollectiveTask(String host, int port, String secret, ShardRounds work, long timeoutMs, RDD<Dataset> train,
                   RDD<Dataset> val, Partition[] trainParts, Partition[] valParts) {
        this.host = host;
        this.port = port;
        this.secret = secret;
        this.work = work;
        this.timeoutMs = timeoutMs;
        this.train = train;
        this.val = val;
        this.trainParts = trainParts;
        this.valParts = valParts;
    }

    @Override
    public Iterator<Object> apply(Iterator<Integer> partition) {
        BarrierTaskContext task = BarrierTaskContext.get();
        int rank = task.partitionId();
        Dataset[] shards = {shard(train, trainParts[rank], task), shard(val, valParts[rank], task)};
        Replica replica = ReplicaPool.borrow(work.spec(), work.device().enter());
        try (ServerSocket server = new ServerSocket(0, 256)) {
            String me = new PeerMesh.Peer(SparkEnv.get().executorId(),
                    SparkEnv.get().blockManager().blockManagerId().host(), server.getLocalPort()).wire();
            List<PeerMesh.Peer> peers = new ArrayList<>();
            for (String p : task.allGather(me)) {
                peers.add(PeerMesh.Peer.parse(p));
            }
            try (PeerMesh mesh = PeerMesh.connect(rank, peers, server, secret, timeoutMs)) {
                CollectiveWorker worker = new CollectiveWorker(replica, shards[0], shards[1], work.plan(),
                        work.classes(), work.numWorkers(), mesh);
                ResidentTask.serveMessages(host, port, secret, task, m -> answer(worker, m));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("collective task of shard " + rank + ": " + e.getMessage(), e);
        } finally {
            ReplicaPool.release(replica);
        }
        @SuppressWarnings("unchecked")
        Iterator<Object> none = (Iterator<Object>) (Iterator<?>) scala.collection.Iterator$.MODULE$.empty();
        return none;
    }

    /** Shard {@code part} of {@code rdd}, read from Spark's cache (this executor's or another's) or recomputed. */
    private static Dataset shard(RDD<Dataset> rdd, Partition part, BarrierTaskContext task) {
        Iterator<Dataset> it = rdd.iterator(part, task);
        return ShardData.only(new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Dataset next() {
                return it.next();
            }
        }, part.index());
    }

    private static Serializable answer(CollectiveWorker worker, Object message) {
        if (message instanceof RoundControl c) {
            return worker.round(c);
        }
        if (message instanceof Load l) {
            worker.load(l.params(), l.spec(), l.state(), l.synchronous());
            return Boolean.TRUE;
        }
        if (message instanceof Pull) {
            return new Window(worker.paramsWindow(), worker.stateWindow());
        }
        if (message instanceof Eval e) {
            return worker.evaluate(e.params());
        }
        throw new IllegalStateException("collective task: unknown message " + message.getClass().getName());
    }
}
