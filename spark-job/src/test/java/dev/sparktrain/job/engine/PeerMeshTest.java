package dev.sparktrain.job.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The collective's mesh among tasks: sums in rank order, every window gathered, strangers refused. */
class PeerMeshTest {
    private static final String SECRET = "the-job-secret";

    @Test
    void threeTasksReduceScatterInRankOrderAndGatherEveryWindowWhileAStrangerIsRefused() throws Exception {
        int p = 3;
        int n = 11; // windows of 3, 4 and 4 elements
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<ServerSocket> servers = new ArrayList<>();
        List<PeerMesh.Peer> peers = new ArrayList<>();
        for (int r = 0; r < p; r++) {
            ServerSocket s = new ServerSocket(0, 50, lo);
            servers.add(s);
            peers.add(new PeerMesh.Peer("e" + r, lo.getHostAddress(), s.getLocalPort()));
        }
        // a stranger reaches rank 2 first, with the wrong secret, and sends a frame after its hello
        Socket stranger = new Socket(lo, servers.get(2).getLocalPort());
        DataOutputStream out = new DataOutputStream(stranger.getOutputStream());
        out.writeInt(PeerMesh.MAGIC);
        out.writeUTF("not-the-secret");
        out.writeInt(0);
        out.writeInt(8);
        out.writeLong(42);
        out.flush();

        double[][] vectors = new double[p][n];
        Random random = new Random(7);
        for (double[] v : vectors) {
            for (int i = 0; i < n; i++) {
                v[i] = random.nextGaussian() * Math.pow(10, random.nextInt(6));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(p);
        List<Future<double[][]>> results = new ArrayList<>();
        for (int r = 0; r < p; r++) {
            int rank = r;
            results.add(pool.submit(() -> {
                try (PeerMesh mesh = PeerMesh.connect(rank, peers, servers.get(rank), SECRET, 20_000)) {
                    INDArray mine = Nd4j.createFromArray(vectors[rank]);
                    INDArray window = mesh.reduceScatter(mine);
                    INDArray whole = Nd4j.create(DataType.DOUBLE, n);
                    mesh.allGather(window, whole);
                    double[][] scalars = mesh.allGather(new double[]{rank, rank * 10.0});
                    return new double[][]{window.toDoubleVector(), whole.toDoubleVector(),
                            {scalars[0][1], scalars[1][1], scalars[2][1]}};
                }
            }));
        }
        double[] sum = new double[n];
        for (int i = 0; i < n; i++) {
            sum[i] = (vectors[0][i] + vectors[1][i]) + vectors[2][i]; // rank order
        }
        int[] from = {0, 3, 7, 11};
        for (int r = 0; r < p; r++) {
            double[][] got = results.get(r).get(60, TimeUnit.SECONDS);
            assertArrayEquals(java.util.Arrays.copyOfRange(sum, from[r], from[r + 1]), got[0], "window of rank " + r);
            assertArrayEquals(sum, got[1], "gathered at rank " + r);
            assertArrayEquals(new double[]{0, 10, 20}, got[2], "scalars at rank " + r);
        }
        pool.shutdown();
        stranger.setSoTimeout(10_000);
        InputStream in = stranger.getInputStream();
        assertEquals(-1, in.read(), "the stranger's connection is closed without an answer");
        stranger.close();
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    /**
     * A task that hands its last window to its writers and closes at once (its work done: the other
     * task's window came first) still delivers it: close waits for the frames already handed over.
     * 8M floats are far from written when close is called.
     */
    @Test
    void aTaskThatClosesRightAfterItsLastSendStillDeliversIt() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<ServerSocket> servers = List.of(new ServerSocket(0, 50, lo), new ServerSocket(0, 50, lo));
        List<PeerMesh.Peer> peers = List.of(new PeerMesh.Peer("e0", lo.getHostAddress(), servers.get(0).getLocalPort()),
                new PeerMesh.Peer("e1", lo.getHostAddress(), servers.get(1).getLocalPort()));
        int n = 16_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Float> sender = pool.submit(() -> {
            try (PeerMesh mesh = PeerMesh.connect(1, peers, servers.get(1), SECRET, 20_000)) {
                INDArray window = Nd4j.ones(DataType.FLOAT, n / 2).muli(3);
                Thread.sleep(500); // rank 0's half is here before this task sends: it returns as soon as it sent
                mesh.allGather(window, Nd4j.create(DataType.FLOAT, n));
                return 0f;
            }
        });
        Future<Float> receiver = pool.submit(() -> {
            try (PeerMesh mesh = PeerMesh.connect(0, peers, servers.get(0), SECRET, 20_000)) {
                INDArray whole = Nd4j.create(DataType.FLOAT, n);
                mesh.allGather(Nd4j.zeros(DataType.FLOAT, n / 2), whole);
                INDArray second = whole.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n / 2, n));
                return second.minNumber().floatValue() * (second.maxNumber().floatValue() == 3f ? 1 : -1);
            }
        });
        assertEquals(0f, sender.get(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(3f, receiver.get(60, java.util.concurrent.TimeUnit.SECONDS), "every element of rank 1's window");
        pool.shutdown();
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    @Test
    void aPeerThatNeverComesIsNamedWithItsAddressAfterTheTimeout() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket mine = new ServerSocket(0, 50, lo); ServerSocket silent = new ServerSocket(0, 50, lo)) {
            List<PeerMesh.Peer> peers = List.of(new PeerMesh.Peer("7", lo.getHostAddress(), silent.getLocalPort()),
                    new PeerMesh.Peer("9", lo.getHostAddress(), mine.getLocalPort()));
            IOException e = assertThrows(IOException.class, () -> PeerMesh.connect(1, peers, mine, SECRET, 1000));
            assertEquals("executor 9 (" + lo.getHostAddress() + ":" + mine.getLocalPort() + "), rank 1 was not reached "
                    + "by executor 7 (" + lo.getHostAddress() + ":" + silent.getLocalPort() + ") within 1 s "
                    + "(train.collective-timeout)", e.getMessage());
        }
    }
}
