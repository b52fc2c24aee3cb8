package dev.sparktrain.job.engine;

import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.VoidFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's side of resident rounds against scripted tasks on local[2]: shard-order sums, a task
 * that comes back (as Spark's rerun of a lost task does) is sent its round again, a failed job fails
 * the round with Spark's exception, too few task slots and strangers are refused.
 */
class ResidentRoundsTest {
    /** Rounds each (shard, connection) received, recorded by the scripted tasks (same JVM in local mode). */
    static final Map<Integer, Queue<String>> RECEIVED = new ConcurrentHashMap<>();
    private ResidentRounds rounds;

    @AfterEach
    void close() {
        if (rounds != null) {
            rounds.close();
        }
        RECEIVED.clear();
    }

    /** A shard's answer to round r: [10 * (shard + 1) + r, 1], loss shard + 1, one example. */
    static RoundResult answer(int shard, long round) {
        return new RoundResult.Gradients(Nd4j.createFromArray(10.0 * (shard + 1) + round, 1.0), shard + 1, 1);
    }

    @Test
    void roundsSumTheShardsAndAReturningTaskIsSentItsRoundAgain() throws Exception {
        // shard 1 drops its connection when round 3 arrives and comes back as a new attempt
        rounds = start(2, new Scripted(1, 3, false), 30_000);
        for (int r = 1; r <= 5; r++) {
            RoundResult.Gradients g = (RoundResult.Gradients) rounds.round(request());
            assertArrayEquals(new double[]{10 + r + 20 + r, 2}, g.sum().toDoubleVector(), 0.0, "round " + r);
            assertEquals(3.0, g.lossSum(), 0.0);
            assertEquals(2, g.count());
        }
        assertEquals(List.of("0:1", "0:2", "0:3", "0:4", "0:5"), List.copyOf(RECEIVED.get(0)));
        assertEquals(List.of("0:1", "0:2", "0:3", "1:3", "1:4", "1:5"), List.copyOf(RECEIVED.get(1)),
                "shard 1 is sent round 3 again after it came back");
        // stopped (its tasks return), then started again for more rounds
        rounds.stop();
        RoundResult.Gradients g = (RoundResult.Gradients) rounds.round(request());
        assertArrayEquals(new double[]{10 + 6 + 20 + 6, 2}, g.sum().toDoubleVector(), 0.0);
    }

    @Test
    void aFailedJobFailsTheRoundWithSparksError() throws Exception {
        rounds = start(2, new Scripted(-1, -1, true), 30_000);
        Exception e = assertThrows(Exception.class, () -> rounds.round(request()));
        assertTrue(e.getClass().getName().endsWith("SparkException"), e.toString());
        assertTrue(e.getMessage().contains("bad row 7 in shard"), e.getMessage());
    }

    @Test
    void moreShardsThanTaskSlotsAreRefusedInTime() throws Exception {
        rounds = start(3, new Scripted(-1, -1, false), 3_000);
        ResidentRounds.Unavailable e = assertThrows(ResidentRounds.Unavailable.class, () -> rounds.round(request()));
        assertTrue(e.getMessage().startsWith("only 2 of 3 resident tasks started within 3 s"), e.getMessage());
    }

    @Test
    void aConnectionWithoutTheJobsSecretIsClosedUnread() throws Exception {
        rounds = start(2, new Scripted(-1, -1, false), 30_000);
        rounds.round(request());
        try (Socket stranger = new Socket("127.0.0.1", rounds.port())) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stranger.getOutputStream()));
            out.writeInt(RoundWire.MAGIC);
            out.writeUTF("not the secret");
            out.writeInt(0);
            out.writeInt(9);
            out.flush();
            int read;
            try {
                read = stranger.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertEquals(-1, read, "the driver closes the connection");
        }
        RoundResult.Gradients g = (RoundResult.Gradients) rounds.round(request());
        assertArrayEquals(new double[]{10 + 2 + 20 + 2, 2}, g.sum().toDoubleVector(), 0.0);
    }

    private static RoundRequest request() {
        return RoundRequest.synchronous(0, 0, Nd4j.zeros(2));
    }

    private static ResidentRounds start(int shards, Scripted script, long connectMs) throws IOException {
        JavaRDD<Integer> data = SharedSpark.context().parallelize(java.util.stream.IntStream.range(0, shards)
                .boxed().toList(), shards);
        return new ResidentRounds(shards, (host, port, secret) ->
                data.foreachPartitionAsync(script.at(host, port, secret)), "127.0.0.1", "127.0.0.1", 0, connectMs, 30_000);
    }

    /** A task speaking the resident protocol with scripted answers and faults. */
    static final class Scripted implements VoidFunction<java.util.Iterator<Integer>> {
        private static final long serialVersionUID = 1L;
        private final int dropShard;
        private final long dropAtRound;
        private final boolean fail;
        private String host;
        private int port;
        private String secret;

        Scripted(int dropShard, long dropAtRound, boolean fail) {
            this.dropShard = dropShard;
            this.dropAtRound = dropAtRound;
            this.fail = fail;
        }

        Scripted at(String host, int port, String secret) {
            this.host = host;
            this.port = port;
            this.secret = secret;
            return this;
        }

        @Override
        public void call(java.util.Iterator<Integer> rows) throws Exception {
            int shard = TaskContext.getPartitionId();
            if (fail) {
                throw new IllegalArgumentException("bad row 7 in shard " + shard);
            }
            boolean dropped = false;
            int attempt = 0;
            while (true) {
                try (Socket socket = new Socket(host, port)) {
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
                    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                    out.writeInt(RoundWire.MAGIC);
                    out.writeUTF(secret);
                    out.writeInt(shard);
                    out.writeInt(attempt);
                    out.flush();
                    while (true) {
                        RoundWire.Frame f = RoundWire.read(in);
                        if (f.kind() == RoundWire.STOP) {
                            return;
                        }
                        RECEIVED.computeIfAbsent(shard, s -> new ConcurrentLinkedQueue<>()).add(attempt + ":" + f.round());
                        if (shard == dropShard && f.round() == dropAtRound && !dropped) {
                            dropped = true;
                            break; // closes the socket unanswered, then connects again as a new attempt
                        }
                        RoundWire.write(out, RoundWire.RESULT, f.round(), RoundWire.serialize(answer(shard, f.round())));
                    }
                }
                attempt++;
            }
        }
    }
}
