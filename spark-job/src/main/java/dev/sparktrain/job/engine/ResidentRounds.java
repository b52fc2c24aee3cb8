package dev.sparktrain.job.engine;

import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import dev.sparktrain.train.StateOwner;
import org.apache.spark.api.java.JavaFutureAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Rounds through resident tasks: one Spark job whose P tasks each stay on their cached shard and
 * exchange requests and results with this driver over TCP, instead of one Spark job per round.
 *
 * <p>The driver sends every round to the current task of each shard and sums the results in shard
 * order (bit-reproducible). A task lost with its executor is rerun by Spark; its new attempt connects
 * and is sent the round again, which gives the same result because a round carries all it needs. A
 * failed job (a task over {@code spark.task.maxFailures}) fails the round with Spark's exception, as
 * a per-round job would. When the P tasks cannot all run (fewer task slots than shards) or a shard has
 * had no task for the stall timeout, {@link Unavailable} says so and the caller goes on without.
 */
public final class ResidentRounds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResidentRounds.class);
    private static final int HELLO_TIMEOUT_MS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Resident tasks cannot serve the rounds; one job per round can. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** Starts the resident job: the task for (advertised host, port, secret). */
    public interface Launcher {
        JavaFutureAction<Void> launch(String host, int port, String secret);
    }

    private sealed interface Event permits Connected, Received, Lost, JobEnded, Tick {
    }

    /** Nothing arrived for a second: lets the waiting loops check their deadlines. */
    private enum Tick implements Event {
        INSTANCE
    }

    private record Connected(Connection c) implements Event {
    }

    private record Received(Connection c, long round, byte[] body) implements Event {
    }

    private record Lost(Connection c, String why) implements Event {
    }

    private record JobEnded(int generation, Throwable failure) implements Event {
    }

    private final int shards;
    private final int recoveries;
    private final Launcher launcher;
    private final String host;
    private final ServerSocket server;
    private final long connectNanos;
    private final long stallNanos;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Connection[] current;
    private final Thread acceptor;
    private volatile String secret;
    private volatile int generation;
    private JavaFutureAction<Void> job;
    private long round;

    /**
     * Listens on {@code bindHost:port} (0: any free port) and tells tasks to connect to
     * {@code advertisedHost}; waits up to {@code connectTimeoutMs} for all P tasks to start and
     * {@code stallTimeoutMs} for a shard's lost task to come back.
     */
    public ResidentRounds(int shards, Launcher launcher, String bindHost, String advertisedHost, int port,
                   long connectTimeoutMs, long stallTimeoutMs) throws IOException {
        this(shards, -1, launcher, bindHost, advertisedHost, port, connectTimeoutMs, stallTimeoutMs);
    }

    /**
     * With {@code recoveries} >= 0, the tasks keep state between messages (the collective transport):
     * a task lost, or a new attempt of one, ends the job and the call throws {@link StateOwner.StateLost}
     * (which allows the run {@code recoveries} returns to a checkpoint) instead of sending it again.
     */
    ResidentRounds(int shards, int recoveries, Launcher launcher, String bindHost, String advertisedHost, int port,
                   long connectTimeoutMs, long stallTimeoutMs) throws IOException {
        this.shards = shards;
        this.recoveries = recoveries;
        this.launcher = launcher;
        this.host = advertisedHost;
        this.current = new Connection[shards];
        this.connectNanos = TimeUnit.MILLISECONDS.toNanos(connectTimeoutMs);
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallTimeoutMs);
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), Math.max(50, 2 * shards));
        this.acceptor = new Thread(this::accept, "sparktrain-rounds-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("resident rounds: listening on {}:{} for {} tasks", bindHost, server.getLocalPort(), shards);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Runs one round on every shard (starting the resident job first if needed); results summed in shard order. */
    public RoundResult round(RoundRequest request) {
        RoundResult total = RoundResult.zero();
        for (Object r : call(request)) {
            total = total.plus((RoundResult) r);
        }
        return total;
    }

    /**
     * Sends {@code message} to every shard's task (starting the resident job first if needed) and
     * returns their replies in shard order.
     */
    Object[] call(java.io.Serializable message) {
        if (job == null) {
            start();
        }
        long id = ++round;
        byte[] body = RoundWire.serialize(message);
        Object[] results = new Object[shards];
        long[] missingSince = new long[shards];
        int done = 0;
        for (int s = 0; s < shards; s++) {
            if (!send(s, RoundWire.ROUND, id, body)) {
                missingSince[s] = System.nanoTime();
            }
        }
        while (done < shards) {
            Event e = next(1);
            if (e instanceof Received r) {
                int s = r.c().shard;
                if (r.c() == current[s] && r.round() == id && results[s] == null) {
                    results[s] = read(r);
                    done++;
                }
            } else if (e instanceof Connected c) {
                int s = c.c().shard;
                if (recoveries >= 0) {
                    lose("the task of shard " + s + " started again (attempt " + c.c().attempt + ")", null);
                }
                adopt(c.c());
                if (results[s] == null && send(s, RoundWire.ROUND, id, body)) {
                    LOG.info("resident rounds: shard {} is back (attempt {}); round sent again", s, c.c().attempt);
                    missingSince[s] = 0;
                }
            } else if (e instanceof Lost l) {
                int s = l.c().shard;
                if (recoveries >= 0 && l.c() == current[s]) {
                    lose("lost the task of shard " + s + " (" + l.why() + ")", null);
                }
                if (l.c() == current[s]) {
                    current[s] = null;
                    if (results[s] == null) {
                        LOG.warn("resident rounds: lost the task of shard {} ({}); waiting for Spark to run it again",
                                s, l.why());
                        missingSince[s] = System.nanoTime();
                    }
                }
            } else if (e instanceof JobEnded j && j.generation() == generation) {
                if (recoveries >= 0) {
                    job = null;
                    lose("the training job ended", j.failure());
                }
                ended(j);
            }
            long now = System.nanoTime();
            for (int s = 0; s < shards; s++) {
                if (results[s] == null && current[s] == null && missingSince[s] != 0 && now - missingSince[s] > stallNanos) {
                    stopJob(true);
                    throw new Unavailable("shard " + s + " has had no running task for "
                            + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s");
                }
            }
        }
        return results;
    }

    /**
     * The stateful tasks' state is gone: ends the job (waiting a little for Spark's reason when a
     * connection went first) and throws.
     */
    private void lose(String what, Throwable failure) {
        Throwable cause = failure;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cause == null && job != null && System.nanoTime() < until) {
            Event e = next(1);
            if (e instanceof JobEnded j && j.generation() == generation) {
                job = null;
                cause = j.failure();
            }
        }
        stopJob(true);
        closeConnections(); // also when the job had ended by itself
        String why = cause == null ? "" : ": " + firstLine(cause);
        throw new StateOwner.StateLost(what + why, recoveries, cause);
    }

    private static String firstLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Ends the resident job (its tasks return), e.g. before another Spark job needs the task slots. */
    public void stop() {
        stopJob(false);
    }

    @Override
    public void close() {
        stopJob(false);
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the rounds socket: {}", e.getMessage());
        }
    }

    private void start() {
        closeConnections(); // a new job's tasks connect anew
        generation++;
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        secret = HexFormat.of().formatHex(bytes);
        int gen = generation;
        JavaFutureAction<Void> started = launcher.launch(host, server.getLocalPort(), secret);
        job = started;
        Thread watcher = new Thread(() -> events.add(new JobEnded(gen, outcome(started))),
                "sparktrain-rounds-job-" + gen);
        watcher.setDaemon(true);
        watcher.start();
        long deadline = System.nanoTime() + connectNanos;
        while (connected() < shards) {
            if (System.nanoTime() > deadline) {
                int n = connected();
                stopJob(true);
                throw new Unavailable("only " + n + " of " + shards + " resident tasks started within "
                        + TimeUnit.NANOSECONDS.toSeconds(connectNanos) + " s (the cluster must run all "
                        + shards + " at once: train.workers <= task slots)");
            }
            Event e = next(1);
            if (e instanceof Connected c) {
                adopt(c.c());
            } else if (e instanceof Lost l && l.c() == current[l.c().shard]) {
                current[l.c().shard] = null;
            } else if (e instanceof JobEnded j && j.generation() == generation) {
                ended(j);
            }
        }
        LOG.debug("resident rounds: {} tasks connected", shards);
    }

    private int connected() {
        int n = 0;
        for (Connection c : current) {
            n += c == null ? 0 : 1;
        }
        return n;
    }

    private void adopt(Connection c) {
        Connection old = current[c.shard];
        if (old != null && old != c) {
            old.close();
        }
        current[c.shard] = c;
    }

    private boolean send(int shard, byte kind, long id, byte[] body) {
        Connection c = current[shard];
        if (c == null) {
            return false;
        }
        try {
            RoundWire.write(c.out, kind, id, body);
            return true;
        } catch (IOException e) {
            c.close();
            current[shard] = null;
            return false;
        }
    }

    private Object read(Received r) {
        try {
            return RoundWire.deserialize(r.body(), ResidentRounds.class.getClassLoader());
        } catch (IOException e) {
            throw new IllegalStateException("resident rounds: unreadable result from shard " + r.c().shard, e);
        }
    }

    private void ended(JobEnded j) {
        job = null;
        closeConnections();
        Throwable failure = j.failure() == null
                ? new IllegalStateException("the resident training job ended while a round was running")
                : j.failure();
        Sneaky.rethrow(failure);
    }

    private void stopJob(boolean cancel) {
        JavaFutureAction<Void> running = job;
        job = null;
        if (running == null) {
            return;
        }
        if (!cancel) {
            for (int s = 0; s < shards; s++) {
                send(s, RoundWire.STOP, round, new byte[0]);
            }
            try {
                running.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("resident rounds: the job did not end cleanly ({}); cancelling it", e.toString());
                cancel = true;
            }
        }
        if (cancel) {
            running.cancel(true);
        }
        closeConnections();
    }

    private void closeConnections() {
        for (int s = 0; s < shards; s++) {
            if (current[s] != null) {
                current[s].close();
                current[s] = null;
            }
        }
    }

    private Event next(int seconds) {
        try {
            Event e = events.poll(seconds, TimeUnit.SECONDS);
            return e == null ? Tick.INSTANCE : e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for resident tasks", ex);
        }
    }

    private static Throwable outcome(JavaFutureAction<Void> job) {
        try {
            job.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (CancellationException | InterruptedException e) {
            return e;
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("resident rounds: accept failed: {}", e.getMessage());
                }
                continue;
            }
            try {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(HELLO_TIMEOUT_MS);
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
                int magic = in.readInt();
                String given = magic == RoundWire.MAGIC ? in.readUTF() : "";
                if (magic != RoundWire.MAGIC || !given.equals(secret)) {
                    LOG.warn("resident rounds: refused a connection from {} (not this run's task)",
                            socket.getRemoteSocketAddress());
                    socket.close();
                    continue;
                }
                int shard = in.readInt();
                int attempt = in.readInt();
                if (shard < 0 || shard >= shards) {
                    socket.close();
                    continue;
                }
                socket.setSoTimeout(0);
                Connection c = new Connection(socket, in, shard, attempt);
                c.start();
                LOG.info("resident rounds: the task of shard {} (attempt {}) connected from {}", shard, attempt,
                        socket.getRemoteSocketAddress());
                events.add(new Connected(c));
            } catch (IOException e) {
                LOG.warn("resident rounds: a task's hello failed: {}", e.getMessage());
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
        }
    }

    /** One task attempt's connection; its reader thread posts what arrives. */
    private final class Connection {
        final Socket socket;
        final DataInputStream in;
        final DataOutputStream out;
        final int shard;
        final int attempt;

        Connection(Socket socket, DataInputStream in, int shard, int attempt) throws IOException {
            this.socket = socket;
            this.in = in;
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            this.shard = shard;
            this.attempt = attempt;
        }

        void start() {
            Thread reader = new Thread(this::readLoop, "sparktrain-rounds-shard-" + shard + "-" + attempt);
            reader.setDaemon(true);
            reader.start();
        }

        private void readLoop() {
            try {
                while (true) {
                    RoundWire.Frame f = RoundWire.read(in);
                    events.add(new Received(this, f.round(), f.body()));
                }
            } catch (IOException e) {
                events.add(new Lost(this, e instanceof SocketException || e instanceof java.io.EOFException
                        ? "connection closed" : e.toString()));
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing shard {}'s connection: {}", shard, e.getMessage());
            }
        }
    }

    /** Rethrows Spark's checked exceptions unchanged, as Spark's own Java API does. */
    private static final class Sneaky {
        @SuppressWarnings("unchecked")
        static <E extends Throwable> void rethrow(Throwable t) throws E {
            throw (E) t;
        }
    }
}
