package dev.sparktrain.job.engine;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.StateDict;
import dev.sparktrain.train.RoundControl;
import dev.sparktrain.train.RoundResult;
import dev.sparktrain.train.StateOwner;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.TaskLocation;
import scala.Tuple2;
import scala.collection.JavaConverters;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The driver's side of the collective transport: P tasks of one barrier stage keep the parameters
 * and optimizer state (see {@link CollectiveTask}); this sends them control messages over the same
 * authenticated channel as resident rounds ({@link ResidentRounds}, stateful) and sums their small
 * replies in shard order. Parameters cross the driver only when it asks for them (a checkpoint, an
 * epoch's end) or gives them (the start, a return to a checkpoint).
 */
final class CollectiveRounds implements StateOwner, AutoCloseable {
    private static final String INTERRUPT_ON_CANCEL = "spark.job.interruptOnCancel";
    private final ResidentRounds rounds;
    private final int shards;
    private final boolean synchronous;
    private CollectiveTask.Window[] pulled;

    CollectiveRounds(JavaRDD<Dataset> train, JavaRDD<Dataset> val, ShardRounds work, int shards, boolean synchronous,
                     int recoveries,
                     long timeoutMs, String bind, String advertised, int port, long connectMs, long stallMs)
            throws IOException {
        this.shards = shards;
        this.synchronous = synchronous;
        // Barrier mode refuses a stage whose RDD chain changes the partition count, as the shards'
        // lineage does (P of 2P cached partitions): the stage is one task per shard, placed where Spark
        // cached it, and each task reads its two shards through Spark's cache (or recomputes them).
        ClassTag<Object> tag = ClassTag$.MODULE$.apply(Object.class);
        this.rounds = new ResidentRounds(shards, recoveries, (host, p, secret) -> {
            // Shards lost with an executor are rebuilt first, by ordinary tasks (Spark reruns whatever
            // their lineage lost); the barrier stage then finds them all in Spark's cache.
            train.foreachPartition(CollectiveRounds::drain);
            val.foreachPartition(CollectiveRounds::drain);
            RDD<Integer> ranks = placed(train, shards);
            RDD<Object> stage = ranks.barrier().mapPartitions(new CollectiveTask(host, p, secret, work, timeoutMs,
                    train.rdd(), val.rdd(), train.rdd().partitions(), val.rdd().partitions()), false, tag);
            // a job given up is cancelled: its tasks are interrupted, so that none keeps a slot the next needs
            SparkContext sc = train.context();
            String before = sc.getLocalProperty(INTERRUPT_ON_CANCEL);
            sc.setLocalProperty(INTERRUPT_ON_CANCEL, "true");
            try {
                return JavaRDD.fromRDD(stage, tag).foreachPartitionAsync(CollectiveRounds::drain);
            } finally {
                sc.setLocalProperty(INTERRUPT_ON_CANCEL, before);
            }
        }, bind, advertised, port, connectMs, stallMs);
    }

    /** P one-element partitions 0..P-1, partition i preferring where Spark keeps shard i. */
    private static RDD<Integer> placed(JavaRDD<Dataset> train, int shards) {
        SparkContext sc = train.context();
        List<Tuple2<Integer, scala.collection.immutable.List<String>>> seq = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            List<String> hosts = new ArrayList<>();
            scala.collection.Iterator<TaskLocation> locs = sc.getPreferredLocs(train.rdd(), i).iterator();
            while (locs.hasNext()) {
                hosts.add(locs.next().toString());
            }
            seq.add(new Tuple2<>(i, JavaConverters.asScalaBuffer(hosts).toList()));
        }
        ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
        return sc.makeRDD(anySeq(JavaConverters.asScalaBuffer(seq).toList()), tag);
    }

    /** A Scala list as the Seq type of the Scala version compiled against (2.12: collection.Seq, 2.13: immutable). */
    @SuppressWarnings("unchecked")
    private static <S> S anySeq(Object list) {
        return (S) list;
    }

    private static <T> void drain(Iterator<T> it) {
        while (it.hasNext()) {
            it.next();
        }
    }

    @Override
    public void load(INDArray params, OptimizerSpec optimizer, StateDict optimizerState) {
        pulled = null;
        // whole to every task: a synchronous task keeps its window of the state, an averaging one all of it
        rounds.call(new CollectiveTask.Load(params, optimizer, optimizerState, synchronous));
    }

    @Override
    public RoundResult.Stepped round(RoundControl control) {
        pulled = null;
        RoundResult total = RoundResult.zero();
        for (Object r : rounds.call(control)) {
            total = total.plus((RoundResult) r);
        }
        return (RoundResult.Stepped) total;
    }

    @Override
    public INDArray params() {
        List<INDArray> parts = new ArrayList<>();
        for (CollectiveTask.Window w : pull()) {
            parts.add(w.params().reshape(w.params().length()));
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    @Override
    public StateDict optimizerState() {
        List<StateDict> parts = new ArrayList<>();
        for (CollectiveTask.Window w : pull()) {
            parts.add(w.state());
        }
        return StateDict.concat(parts);
    }

    private CollectiveTask.Window[] pull() {
        if (pulled == null) {
            Object[] r = rounds.call(new CollectiveTask.Pull());
            CollectiveTask.Window[] w = new CollectiveTask.Window[shards];
            for (int s = 0; s < shards; s++) {
                w[s] = (CollectiveTask.Window) r[s];
            }
            pulled = w;
        }
        return pulled;
    }

    @Override
    public Evaluation evaluate() {
        return evaluate(null);
    }

    /** Validation at {@code params} (null: the tasks' current parameters), summed in shard order. */
    Evaluation evaluate(INDArray params) {
        Evaluation total = Evaluation.EMPTY;
        for (Object e : rounds.call(new CollectiveTask.Eval(params))) {
            total = total.plus((Evaluation) e);
        }
        return total;
    }

    @Override
    public void close() {
        rounds.close();
    }
}
