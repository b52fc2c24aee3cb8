package dev.sparktrain.job.bench;

import dev.sparktrain.job.engine.PeerMesh;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Option;
import scala.reflect.ClassTag$;

import java.io.Serializable;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The collective transport's two candidate data planes, side by side on one cluster: an all-reduce
 * (reduce-scatter, then all-gather) of N floats among the P tasks of a barrier stage, (a) over
 * {@link PeerMesh} (task-to-task TCP, addresses from {@code BarrierTaskContext.allGather}) and (b)
 * over Spark's block manager, as BigDL's {@code AllReduceParameter} does it: each task puts the
 * pieces the others own as blocks (registered with the driver's block manager master), each fetches
 * its pieces ({@code getRemoteBytes}: a location lookup at the
 * driver, then the block transfer service, polling until the owner has put it), sums them, puts its
 * reduced window, and fetches the others' windows. A task's blocks are removed a round later.
 *
 * <p>{@code AllReduceBenchmark TASKS PARAMS ROUNDS}: one CSV line per data plane,
 * {@code plane,tasks,params,rounds,median_ms,p10_ms,p90_ms} (task 0's times, after 2 warm-ups).
 */
public final class AllReduceBenchmark {
    private AllReduceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: AllReduceBenchmark TASKS PARAMS ROUNDS");
            System.exit(2);
        }
        int tasks = Integer.parseInt(args[0]);
        long params = Long.parseLong(args[1]);
        int rounds = Integer.parseInt(args[2]);
        SparkConf conf = new SparkConf().setAppName("sparktrain all-reduce benchmark")
                .setIfMissing("spark.master", "local[2]").setIfMissing("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            List<Integer> ranks = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                ranks.add(i);
            }
            JavaRDD<Integer> rdd = sc.parallelize(ranks, tasks);
            String secret = Long.toHexString(new java.security.SecureRandom().nextLong());
            List<double[]> times = JavaRDD.fromRDD(rdd.rdd().barrier().mapPartitions(
                    new Task(params, rounds, secret, sc.sc().applicationId()), false,
                    ClassTag$.MODULE$.apply(double[].class)), ClassTag$.MODULE$.apply(double[].class)).collect();
            double[] t = times.get(0);
            System.out.println("plane,tasks,params,rounds,median_ms,p10_ms,p90_ms");
            System.out.println(line("mesh", tasks, params, Arrays.copyOfRange(t, 0, rounds)));
            System.out.println(line("blockmanager", tasks, params, Arrays.copyOfRange(t, rounds, 2 * rounds)));
        }
    }

    private static String line(String plane, int tasks, long params, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return String.format(java.util.Locale.ROOT, "%s,%d,%d,%d,%.1f,%.1f,%.1f", plane, tasks, params, s.length,
                s[s.length / 2], s[s.length / 10], s[(s.length * 9) / 10]);
    }

    private static final class Task extends scala.runtime.AbstractFunction1<scala.collection.Iterator<Integer>,
            scala.collection.Iterator<double[]>> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long n;
        private final int rounds;
        private final String secret;
        private final String app;

        Task(long n, int rounds, String secret, String app) {
            this.n = n;
            this.rounds = rounds;
            this.secret = secret;
            this.app = app;
        }

        @Override
        public scala.collection.Iterator<double[]> apply(scala.collection.Iterator<Integer> it) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            int rank = ctx.partitionId();
            int p = ctx.getTaskInfos().length;
            INDArray v = Nd4j.rand(DataType.FLOAT, n).addi(rank);
            double[] ms = new double[2 * rounds];
            try (ServerSocket server = new ServerSocket(0, 256)) {
                String me = new PeerMesh.Peer(SparkEnv.get().executorId(),
                        SparkEnv.get().blockManager().blockManagerId().host(), server.getLocalPort()).wire();
                List<PeerMesh.Peer> peers = new ArrayList<>();
                for (String s : ctx.allGather(me)) {
                    peers.add(PeerMesh.Peer.parse(s));
                }
                try (PeerMesh mesh = PeerMesh.connect(rank, peers, server, secret, 120_000)) {
                    INDArray into = Nd4j.create(DataType.FLOAT, n);
                    for (int r = -2; r < rounds; r++) {
                        ctx.barrier();
                        long t0 = System.nanoTime();
                        mesh.allGather(mesh.reduceScatter(v), into);
                        if (r >= 0) {
                            ms[r] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            BlockManager bm = SparkEnv.get().blockManager();
            List<BlockId> previous = new ArrayList<>();
            for (int r = -2; r < rounds; r++) {
                ctx.barrier(); // untimed: everyone fetched the last round's blocks
                for (BlockId b : previous) {
                    bm.removeBlock(b, true);
                }
                long t0 = System.nanoTime();
                previous = blockManagerAllReduce(bm, v, rank, p, r + 2);
                if (r >= 0) {
                    ms[rounds + r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            return scala.collection.JavaConverters.asScalaIterator(List.of(ms).iterator());
        }

        /** One all-reduce through the block manager; returns this task's blocks (removed a round later). */
        private List<BlockId> blockManagerAllReduce(BlockManager bm, INDArray v, int rank, int p, int round) {
            List<BlockId> mine = new ArrayList<>();
            for (int j = 0; j < p; j++) {
                if (j != rank) {
                    mine.add(put(bm, id(round, "g", rank, j), window(v, j, p)));
                }
            }
            INDArray sum = null;
            for (int j = 0; j < p; j++) {
                INDArray piece = j == rank ? window(v, rank, p) : get(bm, id(round, "g", j, rank));
                sum = sum == null ? piece.dup() : sum.addi(piece);
            }
            mine.add(put(bm, id(round, "w", rank, -1), sum));
            INDArray whole = Nd4j.create(DataType.FLOAT, n);
            for (int j = 0; j < p; j++) {
                INDArray w = j == rank ? sum : get(bm, id(round, "w", j, -1));
                whole.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n * j / p, n * (j + 1) / p)).assign(w);
            }
            return mine;
        }

        private String id(int round, String kind, int from, int to) {
            return "allreduce-" + app + "-" + round + "-" + kind + "-" + from + "-" + to;
        }

        private INDArray window(INDArray v, int j, int p) {
            return v.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n * j / p, n * (j + 1) / p));
        }

        private static BlockId put(BlockManager bm, String name, INDArray a) {
            ByteBuffer b = ByteBuffer.allocate((int) a.length() * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(a.toFloatVector());
            BlockId id = new TestBlockId(name);
            bm.putBytes(id, new ChunkedByteBuffer(b), StorageLevel.MEMORY_ONLY_SER(), true,
                    ClassTag$.MODULE$.apply(byte[].class));
            return id;
        }

        /** A peer's block, polled for until its owner has put it (as BigDL's tasks poll). */
        private static INDArray get(BlockManager bm, String name) {
            long deadline = System.nanoTime() + 120_000_000_000L;
            Option<ChunkedByteBuffer> got = bm.getRemoteBytes(new TestBlockId(name));
            while (got.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("block " + name + " not found within 120 s");
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                got = bm.getRemoteBytes(new TestBlockId(name));
            }
            ByteBuffer b = ByteBuffer.wrap(got.get().toArray()).order(ByteOrder.LITTLE_ENDIAN);
            float[] f = new float[b.remaining() / 4];
            b.asFloatBuffer().get(f);
            return Nd4j.createFromArray(f);
        }
    }
}
