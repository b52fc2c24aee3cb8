package dev.sparktrain.job.engine;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.model.Replica;
import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Iterator;
import java.util.function.Function;

/**
 * A task that stays for many rounds: it connects to the driver, then runs each round request it
 * receives on its shard with a pooled replica and sends the result back, until told to stop. The
 * rounds are the same {@link ShardStepper} work as one-job-per-round tasks do, so results are equal.
 */
public final class ResidentTask implements VoidFunction<Iterator<Dataset>> {
    private static final long serialVersionUID = 1L;
    private static final int CONNECT_TIMEOUT_MS = 30_000;
    private final String host;
    private final int port;
    private final String secret;
    private final ShardRounds work;

    ResidentTask(String host, int port, String secret, ShardRounds work) {
        this.host = host;
        this.port = port;
        this.secret = secret;
        this.work = work;
    }

    @Override
    public void call(Iterator<Dataset> data) {
        TaskContext task = TaskContext.get();
        Replica replica = ReplicaPool.borrow(work.spec(), work.device().enter());
        try {
            serve(host, port, secret, task, work.on(data, task.partitionId(), replica));
        } finally {
            ReplicaPool.release(replica);
        }
    }

    /**
     * The task's side of resident rounds: connects to the driver at {@code host:port}, says which
     * shard and attempt it is, then answers each round request with {@code work} until told to stop.
     */
    public static void serve(String host, int port, String secret, TaskContext task,
                             Function<RoundRequest, RoundResult> work) {
        serveMessages(host, port, secret, task, message -> work.apply((RoundRequest) message));
    }

    /** As {@link #serve}, for any message: each is answered with what {@code handler} returns for it. */
    static void serveMessages(String host, int port, String secret, TaskContext task,
                              Function<Object, java.io.Serializable> handler) {
        int shard = task.partitionId();
        ClassLoader loader = ResidentTask.class.getClassLoader();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            out.writeInt(RoundWire.MAGIC);
            out.writeUTF(secret);
            out.writeInt(shard);
            out.writeInt(task.attemptNumber());
            out.flush();
            while (true) {
                RoundWire.Frame frame = RoundWire.read(in);
                if (frame.kind() == RoundWire.STOP) {
                    return;
                }
                Object message = RoundWire.deserialize(frame.body(), loader);
                RoundWire.write(out, RoundWire.RESULT, frame.round(), RoundWire.serialize(handler.apply(message)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("resident task of shard " + shard + ": connection to the driver at " + host
                    + ":" + port + " failed: " + e.getMessage(), e);
        }
    }
}
