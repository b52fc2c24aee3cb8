package dev.sparktrain.checkpoint;

import static dev.sparktrain.checkpoint.Snapshots.assertExactlyEqual;
import static dev.sparktrain.checkpoint.Snapshots.assertSameSnapshot;

import dev.sparktrain.model.Replica;
import dev.sparktrain.model.ReplicaTest;
import dev.sparktrain.train.TrainingSnapshot;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CheckpointStore} against a real HDFS: one in-JVM {@link MiniDFSCluster} (1 NameNode, 2 DataNodes) shared
 * by the class. Each test uses its own directory. The store opens the file system from a plain
 * {@code new Configuration()} and an {@code hdfs://localhost:<port>/...} URI, as a job would.
 */
class HdfsCheckpointTest {
    private static final String CONFIG_JSON = "{\n  \"train\" : { \"epochs\" : 5 }\n}";
    private static final int DATANODES = 2;

    @TempDir
    static java.nio.file.Path base;

    private static MiniDFSCluster cluster;
    private static String previousTestBuildData;
    private static Replica replica;
    private static INDArray initialParams;

    @TempDir
    java.nio.file.Path local;

    @BeforeAll
    static void startCluster() throws IOException {
        // MiniDFSCluster and GenericTestUtils fall back to test.build.data (default: target/test/data) for scratch
        previousTestBuildData = System.setProperty("test.build.data", base.resolve("test-data").toString());
        Configuration conf = new Configuration();
        conf.set("hadoop.tmp.dir", base.resolve("hadoop-tmp").toString());
        conf.setInt(DFSConfigKeys.DFS_REPLICATION_KEY, DATANODES);
        conf.setLong(DFSConfigKeys.DFS_BLOCK_SIZE_KEY, 1024 * 1024); // model.zip (~170 KB) and friends: 1 block each
        conf.setInt(DFSConfigKeys.DFS_HEARTBEAT_INTERVAL_KEY, 1);
        cluster = new MiniDFSCluster.Builder(conf, base.resolve("dfs").toFile()) // sets hdfs.minidfs.basedir
                .numDataNodes(DATANODES)
                .format(true)
                .build();
        cluster.waitActive();

        replica = new Replica(ReplicaTest.lenet("float32"));
        initialParams = replica.params(); // a copy: writeModel changes the replica's parameters
    }

    @AfterAll
    static void stopCluster() throws IOException {
        try {
            if (cluster != null) {
                // the stores' cached client for this NameNode; closing it stops its lease renewer and IPC threads
                FileSystem.get(cluster.getURI(), new Configuration()).close();
                cluster.shutdown(true);
            }
        } finally {
            if (previousTestBuildData == null) {
                System.clearProperty("test.build.data");
            } else {
                System.setProperty("test.build.data", previousTestBuildData);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers (snapshots and comparisons are shared with CheckpointStoreTest in Snapshots)

    /** A snapshot after {@code epoch} epochs whose arrays all depend on the epoch. */
    private static TrainingSnapshot snapshot(int epoch) {
        return Snapshots.snapshot(initialParams, epoch, CONFIG_JSON);
    }

    /** {@code hdfs://localhost:<port>/ckpt/<run>}. */
    private static String runUri(String run) {
        return "hdfs://localhost:" + cluster.getNameNodePort() + "/ckpt/" + run;
    }

    private static FileSystem hdfs() throws IOException {
        return cluster.getFileSystem();
    }

    private static List<String> entries(String dirUri) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus st : hdfs().listStatus(new Path(dirUri))) {
            names.add(st.getPath().getName());
        }
        names.sort(null);
        return names;
    }

    private static String read(String fileUri) throws IOException {
        try (FSDataInputStream in = hdfs().open(new Path(fileUri))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** No {@code epoch-000002}, no temporary directories: only the first checkpoint and its pointer. */
    private static void assertOnlyTheFirstCheckpoint(String dir, TrainingSnapshot first) throws IOException {
        assertEquals(List.of("epoch-000001", "latest"), entries(dir), "entries of " + dir);
        assertFalse(hdfs().exists(new Path(dir + "/epoch-000002")));
        assertEquals("epoch-000001", read(dir + "/latest").trim());
        // a fresh store, as a restarted job would open it
        assertSameSnapshot(first, new CheckpointStore(dir, 3).loadLatest().orElseThrow());
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void aCheckpointOnHdfsLoadsBackExactlyAndItsModelZipIsPlainDl4j() throws IOException {
        String dir = runUri("run1");
        TrainingSnapshot saved = snapshot(2);
        String path = new CheckpointStore(dir, 3).save(saved, replica::writeModel);
        assertEquals(dir + "/epoch-000002", path);
        assertEquals(dir, new CheckpointStore(dir, 3).location());

        TrainingSnapshot loaded = new CheckpointStore(dir, 3).loadLatest().orElseThrow();
        assertSameSnapshot(saved, loaded);
        assertEquals(14, loaded.optimizerState().maxStep());
        assertEquals(200, loaded.globalStep());

        assertEquals(List.of("epoch-000002", "latest"), entries(dir));
        assertEquals("epoch-000002", read(dir + "/latest").trim());
        assertEquals(List.of("config.json", "metadata.json", "model.zip", "optimizer.bin", "params.bin"),
                entries(path));
        // the files really live in HDFS blocks on the DataNodes (replication 2 was asked for by the cluster
        // configuration, the store's own client asks for the dfs.replication default; either way >= 1 replica)
        FileStatus zipStatus = hdfs().getFileStatus(new Path(path + "/model.zip"));
        assertTrue(zipStatus.getLen() > 100_000, "model.zip is " + zipStatus.getLen() + " bytes");
        assertTrue(hdfs().getFileBlockLocations(zipStatus, 0, zipStatus.getLen())[0].getHosts().length >= 1);

        File zip = local.resolve("model.zip").toFile();
        try (InputStream in = hdfs().open(new Path(path + "/model.zip"))) {
            Files.copy(in, zip.toPath());
        }
        assertEquals(zipStatus.getLen(), zip.length());
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(zip);
        assertExactlyEqual(saved.params(), net.params().reshape(saved.params().length()), "model.zip parameters");
        assertEquals(replica.network().getLayerWiseConfigurations().toJson(),
                net.getLayerWiseConfigurations().toJson());
    }

    @Test
    void aCheckpointOnHdfsVerifiesAndDescribesItselfAndAChangedFileIsNamed() throws IOException {
        String dir = runUri("verify");
        CheckpointStore store = new CheckpointStore(dir, 3);
        Path checkpoint = new Path(store.save(snapshot(2), replica::writeModel));
        assertEquals(java.util.Optional.empty(), store.verify(checkpoint));
        assertEquals(List.of(checkpoint), store.checkpoints());
        CheckpointSummary summary = CheckpointSummary.read(checkpoint.toString(), new Configuration());
        assertEquals(List.of(2, 200L, "epoch-000002"), List.of(summary.epoch(), summary.globalStep(), summary.name()));
        assertTrue(summary.bytes() > 100_000, summary.bytes() + " bytes");
        assertEquals(2.0 / 2, summary.last().trainLoss());

        Path params = new Path(checkpoint, "params.bin");
        byte[] bytes;
        try (FSDataInputStream in = hdfs().open(params)) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length - 1] ^= 1; // rewritten whole: HDFS's own block checksums match the new bytes
        try (var out = hdfs().create(params, true)) {
            out.write(bytes);
        }
        BadFile bad = store.verify(checkpoint).orElseThrow();
        assertEquals("params.bin", bad.name());
        assertTrue(bad.problem().startsWith("checksum mismatch"), bad.problem());
    }

    @Test
    void aRunDirectorysCurvesAndMetricsLiveOnHdfs() throws IOException {
        String dir = runUri("experiment-curves") + "/runs/r";
        dev.sparktrain.run.RunDirectory runDir = new dev.sparktrain.run.RunDirectory(dir);
        List<dev.sparktrain.train.EpochMetrics> history = snapshot(3).history();
        runDir.writeMetrics(history);
        for (int e = 1; e <= 3; e++) { // rewritten after each epoch: a rename over the old picture
            runDir.writeCurves("run r", new dev.sparktrain.chart.Curve("r", history.subList(0, e)));
        }
        assertEquals(List.of("curves.png", "metrics.jsonl"), entries(dir));
        try (FSDataInputStream in = hdfs().open(new Path(dir, "curves.png"))) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(in);
            assertEquals(dev.sparktrain.chart.LearningCurves.WIDTH, image.getWidth());
        }
        assertEquals(history, dev.sparktrain.run.RunDirectory.readMetrics(dir, new Configuration()).orElseThrow());
        assertFalse(dev.sparktrain.run.RunDirectory.readMetrics(runUri("nothing"), new Configuration()).isPresent());
    }

    @Test
    void anExperimentsPointersRecordsAndLockWorkOnHdfs() {
        var experiment = new dev.sparktrain.experiment.Experiment(runUri("experiment"), new Configuration());
        // HDFS refuses to rename onto an existing file: the pointer is replaced with Rename.OVERWRITE
        experiment.point(dev.sparktrain.experiment.Experiment.PRODUCTION, "a");
        experiment.point(dev.sparktrain.experiment.Experiment.PRODUCTION, "b");
        assertEquals("b", experiment.pointer(dev.sparktrain.experiment.Experiment.PRODUCTION).orElseThrow());
        var record = dev.sparktrain.experiment.RunRecord.started("b", "2026-12-02T06:00:00Z", "a", "production",
                runUri("experiment") + "/runs/b/checkpoints", null, java.util.Map.of("java", "17"));
        experiment.write(record);
        experiment.write(record.withStatus(dev.sparktrain.experiment.RunStatus.SUCCEEDED, "2026-12-02T06:10:00Z"));
        assertEquals(dev.sparktrain.experiment.RunStatus.SUCCEEDED, experiment.run("b").orElseThrow().status());
        try (var lock = experiment.lock("b", java.time.Duration.ofHours(2))) {
            assertThrows(dev.sparktrain.experiment.ExperimentLockedException.class,
                    () -> experiment.lock("c", java.time.Duration.ofHours(2)), "created exclusively by the NameNode");
        }
        experiment.lock("c", java.time.Duration.ofHours(2)).close();
    }

    @Test
    void aModelWriterFailingHalfWayLeavesThePreviousCheckpointIntact() throws IOException {
        String dir = runUri("fault-writer");
        CheckpointStore store = new CheckpointStore(dir, 3);
        TrainingSnapshot first = snapshot(1);
        store.save(first, replica::writeModel);

        CheckpointException e = assertThrows(CheckpointException.class, () -> store.save(snapshot(2), (p, out) -> {
            byte[] half = new byte[200_000]; // more than one 64 KB packet: data really went to the DataNodes
            Arrays.fill(half, (byte) 7);
            out.write(half);
            throw new IOException("simulated failure after 200000 bytes of model.zip");
        }));
        assertTrue(e.getMessage().contains(dir + "/epoch-000002"), e.getMessage());
        assertTrue(e.getMessage().contains("simulated failure"), e.getMessage());
        assertOnlyTheFirstCheckpoint(dir, first);
    }

    @Test
    void dataNodesDyingDuringASaveFailItAndThePreviousCheckpointSurvives() throws Exception {
        String dir = runUri("fault-datanodes");
        CheckpointStore store = new CheckpointStore(dir, 3);
        TrainingSnapshot first = snapshot(1);
        store.save(first, replica::writeModel);

        List<MiniDFSCluster.DataNodeProperties> stopped = new ArrayList<>();
        try {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> store.save(snapshot(2), (params, out) -> {
                        // params.bin, optimizer.bin, config.json are already written; model.zip is half-way
                        out.write(new byte[200_000]);
                        out.flush();
                        for (int i = DATANODES - 1; i >= 0; i--) {
                            stopped.add(cluster.stopDataNode(i));
                        }
                        replica.writeModel(params, out);
                    }));
            assertEquals(DATANODES, stopped.size(), "the writer ran and stopped the DataNodes");
            assertTrue(e.getMessage().contains(dir + "/epoch-000002"), e.getMessage());
            assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
        } finally {
            for (MiniDFSCluster.DataNodeProperties dn : stopped) {
                cluster.restartDataNode(dn, true);
            }
            cluster.waitActive();
            cluster.waitFirstBRCompleted(0, 30_000);
        }
        assertOnlyTheFirstCheckpoint(dir, first);

        // and the store keeps working once the DataNodes are back
        TrainingSnapshot second = snapshot(2);
        assertEquals(dir + "/epoch-000002", store.save(second, replica::writeModel));
        assertSameSnapshot(second, store.loadLatest().orElseThrow());
    }

    @Test
    void aCheckpointSurvivesANameNodeRestart() throws Exception {
        String dir = runUri("namenode-restart");
        CheckpointStore store = new CheckpointStore(dir, 2);
        store.save(snapshot(1), replica::writeModel);
        TrainingSnapshot second = snapshot(2);
        store.save(second, replica::writeModel);
        int port = cluster.getNameNodePort();

        cluster.restartNameNode(true); // the edits log and fsimage are replayed; DataNodes report their blocks again
        cluster.waitFirstBRCompleted(0, 30_000);
        assertEquals(port, cluster.getNameNodePort(), "the NameNode came back on the same port");

        // the store made before the restart (its cached client reconnects) and a fresh one
        assertSameSnapshot(second, store.loadLatest().orElseThrow());
        assertSameSnapshot(second, new CheckpointStore(dir, 2).loadLatest().orElseThrow());
        assertEquals(List.of("epoch-000001", "epoch-000002", "latest"), entries(dir));

        // writing after the restart prunes to keep=2 and moves the pointer
        store.save(snapshot(3), replica::writeModel);
        assertEquals(List.of("epoch-000002", "epoch-000003", "latest"), entries(dir));
        assertEquals("epoch-000003", read(dir + "/latest").trim());
    }
}
