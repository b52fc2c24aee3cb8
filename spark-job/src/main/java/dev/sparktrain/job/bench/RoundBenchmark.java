package dev.sparktrain.job.bench;

import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.job.engine.ResidentRounds;
import dev.sparktrain.job.engine.RawMessage;
import dev.sparktrain.job.engine.RoundJob;
import dev.sparktrain.job.engine.ShardJob;
import dev.sparktrain.job.engine.ResidentTask;
import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The cost of a round with compute removed: the driver sends a synchronous round request holding N
 * parameters to P tasks and combines P gradient-sized results, exactly as training does, but each
 * task answers at once with its request's parameters as the gradient. Two transports: {@code jobs}
 * (one Spark job per round: broadcast, then a {@link ShardJob} whose results are folded on the driver,
 * or combined by treeAggregate of depth 2, or 3 above 16 tasks, where that tree pays, as
 * {@code SparkExecutor} does) and {@code resident} ({@link ResidentRounds}, P tasks
 * staying for all rounds; only where the cluster runs P tasks at once).
 *
 * <p>{@code RoundBenchmark TRANSPORTS TASKS PARAMS ROUNDS}, e.g. {@code jobs,resident 2,4,8 44426,4000000 20}:
 * prints one CSV line per point, {@code transport,master,tasks,params,rounds,median_ms,p10_ms,p90_ms},
 * after 3 warm-up rounds (1 above 10^8 floats moved a round, where also fewer rounds are timed: ROUNDS
 * capped at 2 * 10^8 / (N * P), at least 3); points over 1.6 * 10^8 floats a round are left out. Resident
 * rounds are left out where P exceeds the cluster's cores. The master is spark-submit's (default local[2]).
 */
public final class RoundBenchmark {
    /** Points moving more (P * N) are left out: minutes a round on two cores, and no new information. */
    private static final double MAX_FLOATS_PER_ROUND = 1.6e8;

    private RoundBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: RoundBenchmark jobs,resident TASKS,... PARAMS,... ROUNDS");
            System.exit(2);
        }
        List<String> transports = List.of(args[0].split(","));
        int[] tasks = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        long[] sizes = Arrays.stream(args[2].split(",")).mapToLong(Long::parseLong).toArray();
        int rounds = Integer.parseInt(args[3]);
        SparkConf conf = new SparkConf().setAppName("sparktrain round benchmark").setIfMissing("spark.master", "local[2]")
                .setIfMissing("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            System.out.printf("gemm,one thread,%.1f GFLOP/s%n", gemmGflops());
            System.out.println("transport,master,tasks,params,rounds,median_ms,p10_ms,p90_ms");
            for (long n : sizes) {
                INDArray params = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n);
                for (int p : tasks) {
                    if ((double) n * p > MAX_FLOATS_PER_ROUND) {
                        System.err.printf("skipped %d tasks x %d parameters: over %.1e floats a round%n", p, n,
                                MAX_FLOATS_PER_ROUND);
                        continue;
                    }
                    int timed = (int) Math.max(3, Math.min(rounds, 2e8 / ((double) n * p)));
                    int warmUp = (double) n * p > 1e8 ? 1 : 3;
                    JavaRDD<Dataset> parts = sc.parallelize(IntStream.range(0, p).<Dataset>mapToObj(i ->
                            new ArrayDataset(new float[1], new int[1], new long[]{i}, 1, 1, 1)).toList(), p).cache();
                    parts.count();
                    for (String t : transports) {
                        if (t.equals("resident") && p > sc.defaultParallelism()) {
                            continue; // cannot run all P at once
                        }
                        double[] ms = switch (t) {
                            case "jobs" -> viaJobs(sc, parts, p, params, warmUp, timed);
                            case "resident" -> viaResident(sc, parts, p, params, warmUp, timed);
                            default -> throw new IllegalArgumentException("transport must be jobs or resident: " + t);
                        };
                        if (ms != null) {
                            Arrays.sort(ms);
                            System.out.printf("%s,%s,%d,%d,%d,%.2f,%.2f,%.2f%n", t, sc.master(), p, n, timed,
                                    ms[ms.length / 2], ms[ms.length / 10], ms[ms.length * 9 / 10]);
                        }
                    }
                    parts.unpersist();
                }
            }
        }
    }

    private static double[] viaJobs(JavaSparkContext sc, JavaRDD<Dataset> parts, int p, INDArray params, int warmUp,
                                    int rounds) {
        int depth = p > 16 ? 3 : 2;
        long resultBytes = params.length() * params.dataType().width();
        return time(warmUp, rounds, step -> {
            Broadcast<RawMessage> bc = sc.broadcast(RawMessage.of(RoundRequest.synchronous(0, step, params)));
            try {
                return new Echo(bc).run(sc, parts, RoundResult.zero(), RoundResult::plus, false, depth, resultBytes,
                        RoundResult.class);
            } finally {
                bc.destroy();
            }
        });
    }

    private static double[] viaResident(JavaSparkContext sc, JavaRDD<Dataset> parts, int p, INDArray params,
                                        int warmUp, int rounds) throws Exception {
        String host = sc.getConf().get("spark.driver.host", "localhost");
        try (ResidentRounds resident = new ResidentRounds(p, (h, port, secret) ->
                parts.foreachPartitionAsync(new ResidentEcho(h, port, secret)),
                sc.getConf().get("spark.driver.bindAddress", host), host, 0, 20_000, 60_000)) {
            return time(warmUp, rounds, step -> resident.round(RoundRequest.synchronous(0, step, params)));
        } catch (ResidentRounds.Unavailable e) {
            System.err.println("resident, " + p + " tasks: " + e.getMessage());
            return null;
        }
    }

    /** float32 GEMM speed of one ND4J thread, [256, 1024] x [1024, 1024]: the compute side of the cost model. */
    private static double gemmGflops() {
        dev.sparktrain.job.engine.ThreadBudget.apply(1);
        INDArray a = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 256, 1024);
        INDArray b = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1024, 1024);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 15; i++) {
            long t0 = System.nanoTime();
            a.mmul(b);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return 2.0 * 256 * 1024 * 1024 / best / 1e9;
    }

    private interface Round {
        RoundResult run(int step);
    }

    private static double[] time(int warmUp, int rounds, Round round) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < rounds + warmUp; i++) {
            long t0 = System.nanoTime();
            RoundResult r = round.run(i);
            double elapsed = (System.nanoTime() - t0) / 1e6;
            if (r.count() == 0) {
                throw new IllegalStateException("a round returned no result");
            }
            if (i >= warmUp) {
                ms.add(elapsed);
            }
        }
        return ms.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static RoundResult echo(RoundRequest request) {
        return new RoundResult.Gradients(request.params(), 0, 1);
    }

    /** A per-round job's task that answers at once. */
    private static final class Echo extends RoundJob {
        private static final long serialVersionUID = 1L;

        Echo(Broadcast<RawMessage> request) {
            super(request);
        }

        @Override
        protected RoundResult call(int shard, Iterator<Dataset> rows) {
            return echo(request());
        }
    }

    /** A resident task that answers at once. */
    private static final class ResidentEcho implements VoidFunction<Iterator<Dataset>> {
        private static final long serialVersionUID = 1L;
        private final String host;
        private final int port;
        private final String secret;

        ResidentEcho(String host, int port, String secret) {
            this.host = host;
            this.port = port;
            this.secret = secret;
        }

        @Override
        public void call(Iterator<Dataset> rows) {
            ResidentTask.serve(host, port, secret, TaskContext.get(), RoundBenchmark::echo);
        }
    }
}
