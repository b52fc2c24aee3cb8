package dev.sparktrain.checkpoint;

import static dev.sparktrain.checkpoint.Snapshots.assertExactlyEqual;
import static dev.sparktrain.checkpoint.Snapshots.assertSameSnapshot;

import dev.sparktrain.model.Replica;
import dev.sparktrain.model.ReplicaTest;
import dev.sparktrain.train.TrainingSnapshot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.HyperParams;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.Optimizers;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {
    private static final String CONFIG_JSON = "{\n  \"train\" : { \"epochs\" : 5 }\n}";
    private static Replica replica;
    private static INDArray initialParams;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildReplica() {
        replica = new Replica(ReplicaTest.lenet("float32"));
        initialParams = replica.params(); // a copy: writeModel changes the replica's parameters
    }

    /** A snapshot after {@code epoch} epochs whose arrays all depend on the epoch. */
    private static TrainingSnapshot snapshot(int epoch) {
        return Snapshots.snapshot(initialParams, epoch, CONFIG_JSON);
    }

    private CheckpointStore store(int keep) {
        return new CheckpointStore(dir.toUri().toString(), keep);
    }

    private List<String> checkpointDirs() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("epoch-")).sorted().toList();
        }
    }

    @Test
    void aSavedSnapshotLoadsBackExactly() {
        TrainingSnapshot saved = snapshot(2);
        String path = store(3).save(saved, replica::writeModel);
        assertTrue(path.startsWith("file:") && path.endsWith("/epoch-000002"), path);

        TrainingSnapshot loaded = store(3).loadLatest().orElseThrow();
        assertSameSnapshot(saved, loaded);
        assertEquals(14, loaded.optimizerState().maxStep());
    }

    static List<String> algorithms() {
        return dev.sparktrain.optim.Algorithms.names();
    }

    /** Every registered optimizer's real state (NAdam's mu_product, RAdam's step, ...) through a checkpoint. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void everyOptimizersStateResumesExactlyFromACheckpoint(String type) {
        java.util.function.Supplier<GroupedOptimizer> fresh = () -> Optimizers.create(
                OptimizerSpec.simple(type, HyperParams.defaults(type, 1e-3)), replica.layout());
        GroupedOptimizer opt = fresh.get();
        INDArray p = initialParams.dup();
        INDArray[] grads = new INDArray[6];
        for (int t = 0; t < grads.length; t++) {
            Nd4j.getRandom().setSeed(t);
            grads[t] = Nd4j.rand(p.dataType(), p.shape()).subi(0.5);
        }
        for (int t = 0; t < 3; t++) {
            opt.step(p, grads[t].dup());
        }
        TrainingSnapshot s = snapshot(1);
        store(2).save(new TrainingSnapshot(3, 3, p.dup(), opt.stateDict(), Map.of(), 42, CONFIG_JSON, s.history()),
                replica::writeModel);
        TrainingSnapshot loaded = store(2).loadLatest().orElseThrow();
        GroupedOptimizer resumed = fresh.get();
        resumed.loadStateDict(loaded.optimizerState());
        INDArray q = loaded.params().dup();
        for (int t = 3; t < grads.length; t++) {
            opt.step(p, grads[t].dup());
            resumed.step(q, grads[t].dup());
        }
        assertExactlyEqual(p, q, type + " after resuming");
        assertEquals(opt.stateDict().groups(), resumed.stateDict().groups());
        opt.stateDict().buffers().forEach((k, v) -> assertExactlyEqual(v, resumed.stateDict().buffers().get(k), k));
    }

    @Test
    void theModelZipIsAPlainDl4jModelWithTheSavedParameters() throws IOException {
        TrainingSnapshot saved = snapshot(3);
        store(3).save(saved, replica::writeModel);
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(dir.resolve("epoch-000003/model.zip").toFile());
        INDArray restored = net.params().reshape(saved.params().length());
        assertExactlyEqual(saved.params(), restored, "model.zip parameters");
        assertEquals(replica.network().getLayerWiseConfigurations().toJson(),
                net.getLayerWiseConfigurations().toJson());
    }

    @Test
    void latestNamesTheNewestAndKeepPrunesTheOldest() throws IOException {
        CheckpointStore store = store(2);
        for (int epoch = 1; epoch <= 4; epoch++) {
            store.save(snapshot(epoch), replica::writeModel);
            assertEquals("epoch-" + String.format("%06d", epoch), Files.readString(dir.resolve("latest")).trim());
        }
        assertEquals(List.of("epoch-000003", "epoch-000004"), checkpointDirs());
        assertSameSnapshot(snapshot(4), store.loadLatest().orElseThrow());
    }

    @Test
    void savingAnEpochAgainReplacesIt() {
        CheckpointStore store = store(3);
        store.save(snapshot(1), replica::writeModel);
        TrainingSnapshot redo = new TrainingSnapshot(1, 999, snapshot(1).params().addi(1), snapshot(1).optimizerState(), Map.of(),
                42, CONFIG_JSON, snapshot(1).history());
        store.save(redo, replica::writeModel);
        assertSameSnapshot(redo, store.loadLatest().orElseThrow());
    }

    @Test
    void aCorruptNewestCheckpointFallsBackToThePreviousOne() throws IOException {
        CheckpointStore store = store(3);
        store.save(snapshot(1), replica::writeModel);
        store.save(snapshot(2), replica::writeModel);
        Path params = dir.resolve("epoch-000002/params.bin");
        byte[] bytes = Files.readAllBytes(params);
        for (int i = bytes.length - 64; i < bytes.length; i += 8) {
            bytes[i] ^= (byte) 0xff; // flip bytes in the array data, not only the header
        }
        Files.write(params, bytes);
        // Hadoop's local file system also keeps a .crc; remove it so that only the checkpoint's own SHA-256
        // can notice (as on object stores, which keep no .crc files)
        Files.deleteIfExists(dir.resolve("epoch-000002/.params.bin.crc"));

        IOException direct = assertThrows(IOException.class,
                () -> store.load(new org.apache.hadoop.fs.Path(dir.resolve("epoch-000002").toUri())));
        assertTrue(direct.getMessage().contains("checksum mismatch") && direct.getMessage().contains("params.bin"),
                direct.getMessage());

        assertSameSnapshot(snapshot(1), store.loadLatest().orElseThrow());
    }

    @Test
    void verifyNamesTheFirstFileThatDoesNotMatchAndReadsNewerMetadataAsWell() throws IOException {
        CheckpointStore store = store(3);
        store.save(snapshot(1), replica::writeModel);
        org.apache.hadoop.fs.Path one = new org.apache.hadoop.fs.Path(dir.resolve("epoch-000001").toUri());
        assertEquals(Optional.empty(), store.verify(one));
        // a mid-epoch checkpoint of a newer format: another name, fields this build does not know
        Path mid = dir.resolve("epoch-000001-step-000000150");
        Files.createDirectory(mid);
        try (Stream<Path> files = Files.list(dir.resolve("epoch-000001"))) {
            for (Path f : files.toList()) {
                Files.copy(f, mid.resolve(f.getFileName()));
            }
        }
        Path meta = mid.resolve(CheckpointStore.METADATA);
        Files.writeString(meta, Files.readString(meta).replace("\"format_version\" : 2", "\"format_version\" : 3")
                .replace("\"epoch\" : 1,", "\"epoch\" : 1, \"position\" : {\"steps_done\" : 50, \"future\" : [1]},")
                .replace("\"global_step\" : 100", "\"global_step\" : 150"));
        Files.deleteIfExists(mid.resolve("." + CheckpointStore.METADATA + ".crc"));
        org.apache.hadoop.fs.Path midPath = new org.apache.hadoop.fs.Path(mid.toUri());
        assertEquals(Optional.empty(), store.verify(midPath));
        CheckpointSummary summary = CheckpointSummary.read(mid.toUri().toString(),
                new org.apache.hadoop.conf.Configuration());
        assertEquals(List.of(3, 1, 150L), List.of(summary.formatVersion(), summary.epoch(), summary.globalStep()));
        assertEquals("2 at step 50", summary.epochText(), "inside epoch 2, 50 of its steps done");
        assertEquals(List.of("epoch-000001", "epoch-000001-step-000000150"),
                store.checkpoints().stream().map(org.apache.hadoop.fs.Path::getName).toList());

        Path optimizer = dir.resolve("epoch-000001/optimizer.bin");
        byte[] bytes = Files.readAllBytes(optimizer);
        bytes[bytes.length / 2] ^= 1;
        Files.write(optimizer, bytes);
        Files.deleteIfExists(dir.resolve("epoch-000001/.optimizer.bin.crc"));
        BadFile bad = store.verify(one).orElseThrow();
        assertEquals("optimizer.bin", bad.name());
        assertTrue(bad.problem().startsWith("checksum mismatch: expected sha256 "), bad.problem());
        Files.delete(mid.resolve("model.zip"));
        assertEquals(new BadFile("model.zip", "missing"), store.verify(midPath).orElseThrow());
    }

    @Test
    void aLeftoverTemporaryDirectoryIsIgnored() throws IOException {
        CheckpointStore store = store(1);
        store.save(snapshot(1), replica::writeModel);
        Path leftover = Files.createDirectories(dir.resolve(".epoch-000009.tmp-x"));
        Files.writeString(leftover.resolve("params.bin"), "half-written");
        store.save(snapshot(2), replica::writeModel); // prune with keep=1 must not count or remove it
        assertEquals(List.of("epoch-000002"), checkpointDirs());
        assertTrue(Files.isDirectory(leftover));

        assertEquals(2, store.loadLatest().orElseThrow().epochsDone());
        Files.delete(dir.resolve("latest")); // without the pointer: the newest checkpoint directory
        Files.deleteIfExists(dir.resolve(".latest.crc"));
        assertEquals(2, store.loadLatest().orElseThrow().epochsDone());
    }

    @Test
    void aPointerToAMissingCheckpointFallsBackToTheNewestDirectory() throws IOException {
        CheckpointStore store = store(3);
        store.save(snapshot(1), replica::writeModel);
        store.save(snapshot(2), replica::writeModel);
        Files.delete(dir.resolve("latest"));
        Files.deleteIfExists(dir.resolve(".latest.crc"));
        Files.writeString(dir.resolve("latest"), "epoch-000007\n");
        assertEquals(2, store.loadLatest().orElseThrow().epochsDone());
    }

    @Test
    void anEmptyOrMissingDirectoryHasNoCheckpoint() {
        assertEquals(Optional.empty(), store(3).loadLatest());
        assertEquals(Optional.empty(),
                new CheckpointStore(dir.resolve("not/there").toUri().toString(), 3).loadLatest());
        assertFalse(Files.exists(dir.resolve("not")), "loading does not create the directory");
    }

    @Test
    void aFailingModelWriterLeavesNoCheckpointBehind() throws IOException {
        CheckpointStore store = store(3);
        store.save(snapshot(1), replica::writeModel);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> store.save(snapshot(2), (p, out) -> {
                    throw new IOException("disk full");
                }));
        assertTrue(e.getMessage().contains("epoch-000002") && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals(List.of("epoch-000001"), checkpointDirs());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList());
        }
        assertEquals(1, store.loadLatest().orElseThrow().epochsDone());
    }

    @Test
    void anUncheckedErrorWhileSavingIsACheckpointExceptionAndLeavesNothingBehind() throws IOException {
        CheckpointStore store = store(3);
        store.save(snapshot(1), replica::writeModel);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> store.save(snapshot(2), (p, out) -> {
                    throw new IllegalStateException("native crash");
                }));
        assertTrue(e.getMessage().contains("epoch-000002") && e.getMessage().contains("native crash"), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList());
        }
        assertEquals(1, store.loadLatest().orElseThrow().epochsDone());
    }

    @Test
    void aDamagedLatestPointerFallsBackToTheNewestValidCheckpoint() throws IOException {
        CheckpointStore store = store(3);
        store.save(snapshot(1), replica::writeModel);
        store.save(snapshot(2), replica::writeModel);
        for (String damaged : new String[]{"", "  \n", "../elsewhere"}) {
            Files.writeString(dir.resolve(CheckpointStore.LATEST), damaged);
            assertEquals(2, store.loadLatest().orElseThrow().epochsDone(), "pointer '" + damaged + "'");
        }
    }

    @Test
    void pruningNeverDeletesTheCheckpointJustWritten() throws IOException {
        CheckpointStore store = store(1);
        store.save(snapshot(4), replica::writeModel);
        // a newer-named but corrupt checkpoint exists; a resumed run redoes epoch 3
        Files.write(dir.resolve("epoch-000004").resolve(CheckpointStore.PARAMS), new byte[]{1, 2, 3});
        store.save(snapshot(3), replica::writeModel);
        assertEquals(List.of("epoch-000003"), checkpointDirs());
        assertEquals(3, store.loadLatest().orElseThrow().epochsDone());
    }

    @Test
    void midEpochCheckpointsSortInTrainingOrderKeepTheirPositionAndGoWhenTheirEpochEnds() throws IOException {
        CheckpointStore store = store(10);
        store.save(snapshot(1), replica::writeModel);
        TrainingSnapshot early = Snapshots.inside(snapshot(1), 3, 103);
        TrainingSnapshot late = Snapshots.inside(snapshot(1), 60, 160);
        store.save(early, replica::writeModel);
        store.save(late, replica::writeModel);
        assertEquals(List.of("epoch-000001", "epoch-000001-step-000000103", "epoch-000001-step-000000160"),
                checkpointDirs());
        assertSameSnapshot(late, store.loadLatest().orElseThrow());
        // without the pointer the newest by name is still the latest state
        Files.delete(dir.resolve(CheckpointStore.LATEST));
        assertSameSnapshot(late, store.loadLatest().orElseThrow());
        String meta = Files.readString(dir.resolve("epoch-000001-step-000000160").resolve(CheckpointStore.METADATA));
        assertTrue(meta.contains("\"format_version\" : 3") && meta.contains("\"steps_done\" : 60"), meta);
        String epochMeta = Files.readString(dir.resolve("epoch-000001").resolve(CheckpointStore.METADATA));
        assertTrue(epochMeta.contains("\"format_version\" : 2") && !epochMeta.contains("position"), epochMeta);

        store.save(snapshot(2), replica::writeModel);
        assertEquals(List.of("epoch-000001", "epoch-000002"), checkpointDirs());
        assertSameSnapshot(snapshot(2), store.loadLatest().orElseThrow());
    }

    @Test
    void checkpointsInsideEpochsComeEveryNStepsAndEveryMMinutesButNotAtAnEpochsEnd() throws IOException {
        long[] now = {0};
        TrainingSnapshot base = snapshot(1);
        CheckpointListener steps = new CheckpointListener(store(50), 1, 3, replica::writeModel, 4, 0, () -> now[0]);
        // rounds of 3 steps from global step 100: 103, 106 (crosses 104), 109 (crosses 108), 110 (the epoch's end)
        steps.onRoundEnd(round(base, 3, 103, 3, 10));
        steps.onRoundEnd(round(base, 6, 106, 3, 10));
        steps.onRoundEnd(round(base, 9, 109, 3, 10));
        steps.onRoundEnd(round(base, 10, 110, 1, 10));
        assertEquals(List.of("epoch-000001-step-000000106", "epoch-000001-step-000000109"), checkpointDirs());

        org.apache.commons.io.FileUtils.cleanDirectory(dir.toFile());
        CheckpointListener minutes = new CheckpointListener(store(50), 1, 3, replica::writeModel, 0, 1.5, () -> now[0]);
        now[0] = 80_000_000_000L; // 80 s
        minutes.onRoundEnd(round(base, 3, 103, 3, 10));
        now[0] = 91_000_000_000L; // 91 s: 1.5 minutes since the start
        minutes.onRoundEnd(round(base, 6, 106, 3, 10));
        now[0] = 150_000_000_000L;
        minutes.onRoundEnd(round(base, 9, 109, 3, 10));
        now[0] = 190_000_000_000L; // 99 s after the last one, but the epoch's last round
        minutes.onRoundEnd(round(base, 10, 110, 1, 10));
        assertEquals(List.of("epoch-000001-step-000000106"), checkpointDirs());
    }

    private static dev.sparktrain.train.TrainingListener.RoundEvent round(TrainingSnapshot base, int done, long step,
                                                                         int k, int epochSteps) {
        return new dev.sparktrain.train.TrainingListener.RoundEvent(base.epochsDone(), step, k, done, epochSteps, 1.0,
                16, List.of(1e-3), base.params(), new dev.sparktrain.train.TrainingControl(),
                () -> Snapshots.inside(base, done, step));
    }
}
