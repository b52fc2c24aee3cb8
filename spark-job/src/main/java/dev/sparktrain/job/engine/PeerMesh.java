package dev.sparktrain.job.engine;

import dev.sparktrain.train.Collective;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The collective transport's data plane: one TCP connection between every two tasks of the barrier
 * stage (their addresses exchanged by Spark's {@code BarrierTaskContext.allGather}), arrays as raw
 * bytes ({@link RawArrays}). A connection is used only after the connecting task proved the job's
 * secret: a hello with the wrong secret is closed before any frame is read, and nothing a peer sends
 * is ever Java-deserialized.
 *
 * <p>Reduce-scatter: each task sends every other task that task's window of its vector (P-1 sends
 * of n/P elements) and sums the P pieces of its own window in rank order as they arrive. All-gather:
 * each task sends its window to every other. Either way a task sends and receives (P-1)/P of the
 * vector. Every connection has its own writer thread, so a task sends to all its peers at once and
 * its link stays busy when one receiver is slower than the others (a task that sent to one peer
 * after the other would wait on the slowest, its link idle meanwhile).
 */
public final class PeerMesh implements Collective, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerMesh.class);
    static final int MAGIC = 0x53545032;
    private static final byte[] POISON = new byte[0];

    private final int rank;
    private final List<Peer> peers;
    private final long timeoutMs;
    private final Socket[] sockets;
    private final BlockingQueue<byte[]>[] outbox;
    private final Thread[] writers;
    private final BlockingQueue<byte[]>[] inbox;
    private final String[] lostWhy;
    private final String[] sendLostWhy;

    /** A task of the stage: its executor, and where its mesh socket listens. */
    public record Peer(String executor, String host, int port) {
        public static Peer parse(String s) {
            String[] p = s.split(" ", 3);
            return new Peer(p[0], p[1], Integer.parseInt(p[2]));
        }

        public String wire() {
            return executor + " " + host + " " + port;
        }

        @Override
        public String toString() {
            return "executor " + executor + " (" + host + ":" + port + ")";
        }
    }

    @SuppressWarnings("unchecked")
    private PeerMesh(int rank, List<Peer> peers, long timeoutMs) {
        this.rank = rank;
        this.peers = List.copyOf(peers);
        this.timeoutMs = timeoutMs;
        int p = peers.size();
        this.sockets = new Socket[p];
        this.outbox = new BlockingQueue[p];
        this.writers = new Thread[p];
        this.inbox = new BlockingQueue[p];
        this.lostWhy = new String[p];
        this.sendLostWhy = new String[p];
        for (int i = 0; i < p; i++) {
            inbox[i] = new LinkedBlockingQueue<>();
            outbox[i] = new LinkedBlockingQueue<>();
        }
    }

    /**
     * Connects task {@code rank} to every other task of {@code peers} (listed by rank): it connects to
     * the higher ranks and accepts the lower ones on {@code server}, each within {@code timeoutMs}.
     */
    public static PeerMesh connect(int rank, List<Peer> peers, ServerSocket server, String secret, long timeoutMs)
            throws IOException {
        PeerMesh mesh = new PeerMesh(rank, peers, timeoutMs);
        try {
            mesh.accept(server, secret);
            mesh.dial(secret);
        } catch (IOException | RuntimeException e) {
            mesh.close();
            throw e;
        }
        LOG.info("collective: rank {} of {} connected to its peers", rank, peers.size());
        return mesh;
    }

    private void dial(String secret) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (int j = rank + 1; j < peers.size(); j++) {
            Peer peer = peers.get(j);
            IOException last = null;
            while (sockets[j] == null) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IOException(self() + " cannot reach " + peer + " within " + timeoutMs / 1000
                            + " s (train.collective-timeout)" + (last == null ? "" : ": " + last.getMessage()));
                }
                Socket s = new Socket();
                try {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(peer.host(), peer.port()), (int) Math.min(left, 10_000));
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
                    out.writeInt(MAGIC);
                    out.writeUTF(secret);
                    out.writeInt(rank);
                    out.flush();
                    adopt(j, s);
                } catch (IOException e) {
                    s.close();
                    last = e;
                    sleep(200);
                    abandoned();
                }
            }
        }
    }

    private void accept(ServerSocket server, String secret) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        int waiting = rank;
        while (waiting > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new IOException(self() + " was not reached by " + missingLower() + " within " + timeoutMs / 1000
                        + " s (train.collective-timeout)");
            }
            abandoned();
            server.setSoTimeout((int) Math.min(left, 1000));
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException e) {
                continue;
            }
            int from = hello(s, secret);
            if (from < 0) {
                continue;
            }
            adopt(from, s);
            waiting--;
        }
    }

    /** The rank of a peer that proved the secret, or -1 after closing a connection that did not. */
    private int hello(Socket s, String secret) {
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            int magic = in.readInt();
            String given = magic == MAGIC ? in.readUTF() : "";
            int from = magic == MAGIC ? in.readInt() : -1;
            boolean ok = magic == MAGIC && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    secret.getBytes(StandardCharsets.UTF_8));
            if (!ok || from < 0 || from >= rank || sockets[from] != null) {
                LOG.warn("collective: {} refused a connection from {} (not a peer of this run)", self(),
                        s.getRemoteSocketAddress());
                s.close();
                return -1;
            }
            s.setSoTimeout(0);
            return from;
        } catch (IOException e) {
            LOG.warn("collective: a peer's hello from {} failed: {}", s.getRemoteSocketAddress(), e.getMessage());
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            return -1;
        }
    }

    private void adopt(int j, Socket s) throws IOException {
        sockets[j] = s;
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
        Thread reader = new Thread(() -> readLoop(j, in), "sparktrain-collective-" + rank + "-from-" + j);
        reader.setDaemon(true);
        reader.start();
        Thread writer = new Thread(() -> writeLoop(j, out), "sparktrain-collective-" + rank + "-to-" + j);
        writer.setDaemon(true);
        writers[j] = writer;
        writer.start();
    }

    private void writeLoop(int j, DataOutputStream out) {
        try {
            while (true) {
                byte[] body = outbox[j].take();
                if (body == POISON) {
                    return;
                }
                out.writeInt(body.length);
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            sendLostWhy[j] = e.getMessage() == null ? e.toString() : e.getMessage();
            outbox[j].clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop(int j, DataInputStream in) {
        try {
            while (true) {
                int length = in.readInt();
                if (length < 0) {
                    throw new StreamCorruptedException("frame of negative length " + length);
                }
                byte[] body = new byte[length];
                in.readFully(body);
                inbox[j].add(body);
            }
        } catch (IOException e) {
            lostWhy[j] = e.getMessage() == null ? e.toString() : e.getMessage();
            inbox[j].add(POISON);
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return peers.size();
    }

    @Override
    public Scattered reduceScatter(INDArray full, double[] riders) {
        INDArray v = vector(full);
        long n = v.length();
        int p = size();
        for (int d = 1; d < p; d++) {
            int j = (rank + d) % p;
            send(j, arrays(riders, window(v, n, j)));
        }
        INDArray sum = null;
        double[][] all = new double[p][];
        all[rank] = riders.clone();
        for (int j = 0; j < p; j++) {
            INDArray piece;
            if (j == rank) {
                piece = window(v, n, j);
            } else {
                ByteBuffer in = ByteBuffer.wrap(receive(j)).order(ByteOrder.LITTLE_ENDIAN);
                all[j] = scalars(in, riders.length, j);
                piece = array(in, n, rank, j); // my window, from j
            }
            sum = sum == null ? piece.dup() : sum.addi(piece);
        }
        return new Scattered(sum, all);
    }

    @Override
    public void allGather(INDArray window, INDArray into) {
        INDArray v = vector(into);
        long n = v.length();
        int p = size();
        INDArray mine = vector(window);
        byte[] body = arrays(null, mine);
        for (int d = 1; d < p; d++) {
            send((rank + d) % p, body);
        }
        window(v, n, rank).assign(mine);
        for (int j = 0; j < p; j++) {
            if (j != rank) {
                window(v, n, j).assign(array(ByteBuffer.wrap(receive(j)).order(ByteOrder.LITTLE_ENDIAN), n, j, j));
            }
        }
    }

    @Override
    public double[][] allGather(double[] values) {
        int p = size();
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(values.length);
        for (double v : values) {
            b.putDouble(v);
        }
        for (int d = 1; d < p; d++) {
            send((rank + d) % p, b.array());
        }
        double[][] all = new double[p][];
        all[rank] = values.clone();
        for (int j = 0; j < p; j++) {
            if (j != rank) {
                ByteBuffer in = ByteBuffer.wrap(receive(j)).order(ByteOrder.LITTLE_ENDIAN);
                all[j] = scalars(in, values.length, j);
                if (in.hasRemaining()) {
                    throw new IllegalStateException("collective: " + peers.get(j) + " sent " + in.remaining()
                            + " bytes after its " + values.length + " values");
                }
            }
        }
        return all;
    }

    /** The {@code expected} scalars at {@code in}'s position, as {@link #arrays} wrote them. */
    private double[] scalars(ByteBuffer in, int expected, int j) {
        int count = in.remaining() >= 4 ? in.getInt() : -1;
        if (count != expected || in.remaining() < 8L * count) {
            throw new IllegalStateException("collective: " + peers.get(j) + " sent " + count
                    + " values where " + expected + " were expected");
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.getDouble();
        }
        return values;
    }

    private static INDArray vector(INDArray a) {
        return a.rank() == 1 ? a : a.reshape(a.length());
    }

    private INDArray window(INDArray v, long n, int j) {
        return v.get(NDArrayIndex.interval(Collective.windowFrom(n, j, size()), Collective.windowFrom(n, j + 1, size())));
    }

    /** A frame: the scalars {@code riders} (none when null), then the array {@code a} as raw bytes. */
    private static byte[] arrays(double[] riders, INDArray a) {
        INDArray c = a.rank() == 1 && a.stride(0) == 1 ? a : RawArrays.contiguous(a);
        int head = riders == null ? 0 : 4 + 8 * riders.length;
        long size = head + RawArrays.size(c);
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("collective: a window of " + size + " bytes is over the 2 GB a frame holds");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        if (riders != null) {
            b.putInt(riders.length);
            for (double r : riders) {
                b.putDouble(r);
            }
        }
        RawArrays.write(c, b);
        return b.array();
    }

    /** Window {@code w} of an n-element vector as peer {@code j} sent it, at {@code in}'s position. */
    private INDArray array(ByteBuffer in, long n, int w, int j) {
        try {
            INDArray a = RawArrays.read(in);
            long expected = Collective.windowFrom(n, w + 1, size()) - Collective.windowFrom(n, w, size());
            if (a.length() != expected) {
                throw new StreamCorruptedException(a.length() + " elements where " + expected + " were expected");
            }
            return vector(a);
        } catch (IOException e) {
            throw new IllegalStateException("collective: unreadable frame from " + peers.get(j) + ": " + e.getMessage(), e);
        }
    }

    /** Hands {@code body} to peer {@code j}'s writer thread (frames to one peer leave in order). */
    private void send(int j, byte[] body) {
        if (sendLostWhy[j] != null) {
            throw new IllegalStateException("collective: " + self() + " lost its connection to " + peers.get(j) + ": "
                    + sendLostWhy[j]);
        }
        outbox[j].add(body);
    }

    private byte[] receive(int j) {
        byte[] body = null;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            while (body == null && System.nanoTime() < deadline) {
                body = inbox[j].poll(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                        TimeUnit.MILLISECONDS);
                if (body == null) {
                    abandoned();
                    if (sendLostWhy[j] != null) {
                        throw new IllegalStateException("collective: " + self() + " lost its connection to "
                                + peers.get(j) + ": " + sendLostWhy[j]);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("collective: interrupted while waiting for " + peers.get(j), e);
        }
        if (body == null) {
            throw new IllegalStateException("collective: " + self() + " waited " + timeoutMs / 1000 + " s for "
                    + peers.get(j) + " (train.collective-timeout)");
        }
        if (body == POISON) {
            inbox[j].add(POISON);
            throw new IllegalStateException("collective: " + self() + " lost its connection to " + peers.get(j) + ": "
                    + lostWhy[j]);
        }
        return body;
    }

    /**
     * Throws when Spark killed this task (the driver gave the stage up): a task must not hold its slot
     * for train.collective-timeout waiting for a peer that will not come.
     */
    private void abandoned() {
        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
        if (Thread.currentThread().isInterrupted() || (task != null && task.isInterrupted())) {
            throw new IllegalStateException("collective: " + self() + " was stopped by Spark");
        }
    }

    private String self() {
        return peers.get(rank) + ", rank " + rank;
    }

    private String missingLower() {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < rank; j++) {
            if (sockets[j] == null) {
                b.append(b.length() == 0 ? "" : ", ").append(peers.get(j));
            }
        }
        return b.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the connections once every frame handed to a writer has been written (a peer may still be
     * reading this task's last window), waiting at most train.collective-timeout for a stuck one.
     */
    @Override
    public void close() {
        for (BlockingQueue<byte[]> out : outbox) {
            out.add(POISON);
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (Thread w : writers) {
            if (w != null) {
                try {
                    w.join(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (Socket s : sockets) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    LOG.debug("closing a peer connection: {}", e.getMessage());
                }
            }
        }
    }
}
