package dev.sparktrain.experiment;

import dev.sparktrain.checkpoint.CheckpointStore;
import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.ExperimentConfig;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.model.Replica;
import dev.sparktrain.model.Zoo;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.Optimizers;
import dev.sparktrain.train.TrainingSnapshot;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The experiment's files: pointers, run records, the lock, fingerprints, warm starts and the gate. */
class ExperimentTest {
    @TempDir
    java.nio.file.Path dir;

    private Experiment experiment() {
        return new Experiment(dir.resolve("exp").toUri().toString(), new Configuration());
    }

    @Test
    void pointersAreReplacedAndRunRecordsReadBack() {
        Experiment e = experiment();
        assertTrue(e.pointer(Experiment.PRODUCTION).isEmpty());
        e.point(Experiment.PRODUCTION, "a");
        e.point(Experiment.PRODUCTION, "b");
        assertEquals("b", e.pointer(Experiment.PRODUCTION).orElseThrow());
        assertTrue(e.pointer(Experiment.LATEST).isEmpty());

        RunRecord first = RunRecord.started("r2", "2026-12-02T06:00:00Z", null, "scratch", "file:/c", null,
                Map.of("java", "17"));
        RunRecord second = RunRecord.started("r1", "2026-12-03T06:00:00Z", "r2", "production: run r2", "file:/c",
                new DataFingerprint.Summary(new DataFingerprint.PartSummary(2, 10, "ab"), null, "cd"), Map.of());
        e.write(first);
        e.write(second.withStatus(RunStatus.NOT_PROMOTED, "2026-12-03T06:05:00Z"));
        assertEquals(first, e.run("r2").orElseThrow());
        assertEquals(RunStatus.NOT_PROMOTED, e.run("r1").orElseThrow().status());
        assertEquals(List.of("r2", "r1"), e.runs().stream().map(RunRecord::runId).toList(), "by start time");
        assertTrue(e.run("none").isEmpty());
    }

    @Test
    void aNewRunIdIsTheStartSecondWithASuffixWhenTaken() {
        Experiment e = experiment();
        Instant t = Instant.parse("2026-12-02T06:15:00.123Z");
        assertEquals("20261202T061500Z", e.newRunId(t));
        e.write(RunRecord.started("20261202T061500Z", t.toString(), null, "scratch", "c", null, Map.of()));
        assertEquals("20261202T061500Z-2", e.newRunId(t));
    }

    @Test
    void theLockIsExclusiveAndOnlyItsHolderReleasesIt() {
        Experiment e = experiment();
        try (RunLock held = e.lock("a", Duration.ofHours(2))) {
            ExperimentLockedException x = assertThrows(ExperimentLockedException.class,
                    () -> e.lock("b", Duration.ofHours(2)));
            assertTrue(x.getMessage().contains("locked by run a") && x.getMessage().contains("pid "
                    + ProcessHandle.current().pid()) && x.getMessage().contains("lock.stale-after = 2h"), x.getMessage());
            assertEquals("a", held.holder().runId());
        }
        assertFalse(Files.exists(dir.resolve("exp/lock")));
        e.lock("b", Duration.ofHours(2)).close();
    }

    /** The lock file of an earlier version (a file {@code lock}, not the lease folder) is honoured and replaced. */
    @Test
    void anEarlierVersionsLockWhoseProcessEndedOrThatWentStaleIsTakenOver() throws Exception {
        Experiment e = experiment();
        java.nio.file.Path lock = dir.resolve("exp/lock");
        Files.createDirectories(lock.getParent());
        String host = java.net.InetAddress.getLocalHost().getHostName();
        // this host, a process that has ended: taken over at once
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Files.writeString(lock, "{\"host\":\"" + host + "\",\"pid\":" + ended.pid() + ",\"runId\":\"dead\","
                + "\"since\":\"x\",\"token\":\"t\"}");
        try (RunLock l = e.lock("next", Duration.ofHours(2))) {
            assertEquals("next", l.holder().runId());
        }
        // another host, refreshed a minute ago: held; not refreshed for 3 hours: stale
        Files.writeString(lock, "{\"host\":\"elsewhere\",\"pid\":1,\"runId\":\"remote\",\"since\":\"x\",\"token\":\"t\"}");
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(60)));
        assertThrows(ExperimentLockedException.class, () -> e.lock("next", Duration.ofHours(2)));
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        try (RunLock l = e.lock("next", Duration.ofHours(2))) {
            assertEquals("next", l.holder().runId());
            assertTrue(Files.isDirectory(lock), "the lease folder replaced the old file");
        }
        assertFalse(Files.exists(lock), "released");
    }

    @Test
    void theGatePromotesABetterModelByAtLeastMinDelta() {
        assertTrue(Promotion.decide("val_accuracy", false, 0.8, null, null, 0.01, false).promoted(), "first model");
        assertTrue(Promotion.decide("val_accuracy", false, 0.81, "p", 0.80, 0.01, false).promoted());
        Promotion no = Promotion.decide("val_accuracy", false, 0.805, "p", 0.80, 0.01, false);
        assertFalse(no.promoted());
        assertEquals("val_accuracy 0.8050 against 0.8000 of production run p: not better by at least "
                + "promote.min-delta = 0.01", no.reason());
        assertTrue(Promotion.decide("val_loss", true, 0.30, "p", 0.35, 0.0, false).promoted());
        assertFalse(Promotion.decide("val_loss", true, 0.36, "p", 0.35, 0.0, false).promoted());
        assertTrue(Promotion.decide("val_accuracy", false, 0.80, "p", 0.80, 0.0, false).promoted(), "as good");
        assertFalse(Promotion.decide("val_loss", true, Double.NaN, "p", 0.35, 0.0, false).promoted());
        assertTrue(Promotion.decide("val_loss", true, 9.0, "p", 0.35, 0.0, true).promoted(), "forced");
    }

    @Test
    void aFingerprintChangesWithAFileAddedOrRewrittenAndOnlyThen() throws Exception {
        java.nio.file.Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("part-0.csv"), "1,2,0\n");
        Files.writeString(data.resolve("_SUCCESS"), "");
        JobConfig c = ConfigLoader.parse("", List.of("data.format=csv", "data.train.path=\"" + data.toUri() + "\"",
                "data.val-fraction=0.2"));
        DataFingerprint a = DataFingerprint.ofSources(c.data(), c.modelDigest(), new Configuration()).orElseThrow();
        assertEquals(1, a.train().files().size(), "_SUCCESS is no data");
        assertNull(a.val(), "validation is split off the training files");
        assertEquals(a.summary(), DataFingerprint.ofSources(c.data(), c.modelDigest(), new Configuration())
                .orElseThrow().summary(), "listed again: the same");
        Files.writeString(data.resolve("part-1.csv"), "3,4,1\n");
        DataFingerprint b = DataFingerprint.ofSources(c.data(), c.modelDigest(), new Configuration()).orElseThrow();
        assertNotEquals(a.summary().train().sha256(), b.summary().train().sha256());
        Files.setLastModifiedTime(data.resolve("part-1.csv"), FileTime.from(Instant.now().plusSeconds(5)));
        assertNotEquals(b.summary(), DataFingerprint.ofSources(c.data(), c.modelDigest(), new Configuration())
                .orElseThrow().summary(), "rewritten: another time");
        assertEquals(2, b.summary().train().files());
        assertEquals(12, b.summary().train().bytes());
        assertNotEquals(c.modelDigest(), c.with("optimizer.lr", 0.5).modelDigest());
        assertEquals(c.modelDigest(), c.with("output.run-id", "x").with("train.skip-if-unchanged", true)
                .with("checkpoint.keep", 9).modelDigest(), "how a run is started and kept is no change");
    }

    /** A finished MLP run: its model.zip and a checkpoint with Adam's state after 3 steps. */
    private WarmStart savedRun(Replica replica, GroupedOptimizer adam) throws Exception {
        INDArray p = replica.params().dup();
        for (int t = 0; t < 3; t++) {
            Nd4j.getRandom().setSeed(t);
            adam.step(p, Nd4j.rand(p.dataType(), p.shape()).subi(0.5));
        }
        java.nio.file.Path run = dir.resolve("run");
        Files.createDirectories(run);
        try (OutputStream out = Files.newOutputStream(run.resolve("model.zip"))) {
            replica.writeModel(p, out);
        }
        String json = ConfigLoader.parse("", List.of("optimizer.type=adam")).renderJson();
        new CheckpointStore(run.resolve("checkpoints").toUri().toString(), 2).save(new TrainingSnapshot(1, 3, p,
                adam.stateDict(), Map.of(), 1, json, List.of()), replica::writeModel);
        return new WarmStart("a run", "r", run.resolve("model.zip").toUri().toString(),
                run.resolve("checkpoints").toUri().toString(), true);
    }

    @Test
    void aWarmStartPlacesParametersByNameAndCarriesTheOptimizerOnRequest() throws Exception {
        Replica replica = new Replica(Zoo.mlp(6, 8, 3));
        GroupedOptimizer adam = Optimizers.create(OptimizerSpec.of("adam", 0.01, Map.of()), replica.layout());
        WarmStart w = savedRun(replica, adam);
        GroupedOptimizer fresh = Optimizers.create(OptimizerSpec.of("adam", 0.001, Map.of()), replica.layout());
        TrainingSnapshot start = w.start(replica.layout(), DataType.FLOAT, true, "adam", fresh.stateDict(), 1, "{}",
                new Configuration());
        assertEquals(0, start.epochsDone(), "a new run");
        assertEquals(adam.stateDict().steps(), start.optimizerState().steps());
        assertEquals(adam.stateDict().buffers().keySet(), start.optimizerState().buffers().keySet());
        assertEquals(0.001, start.optimizerState().groups().get(0).hyper().lr(), "this config's hyper-parameters");
        TrainingSnapshot paramsOnly = w.start(replica.layout(), DataType.DOUBLE, false, "adam", fresh.stateDict(), 1,
                "{}", new Configuration());
        assertNull(paramsOnly.optimizerState());
        assertArrayEquals(start.params().toDoubleVector(), paramsOnly.params().toDoubleVector(), 1e-7);

        ConfigException sgd = assertThrows(ConfigException.class, () -> w.start(replica.layout(), DataType.FLOAT,
                true, "sgd", fresh.stateDict(), 1, "{}", new Configuration()));
        assertTrue(sgd.getMessage().contains("a run used adam, this run sgd"), sgd.getMessage());

        Replica wider = new Replica(Zoo.mlp(6, 16, 3));
        ConfigException shapes = assertThrows(ConfigException.class, () -> w.start(wider.layout(), DataType.FLOAT,
                false, "adam", null, 1, "{}", new Configuration()));
        assertTrue(shapes.getMessage().startsWith("train.init = a run: the parameters do not match: "), shapes.getMessage());
        for (var s : wider.layout().segments()) {
            if (!s.name().endsWith("bias") || s.shape()[s.shape().length - 1] == 16) {
                assertTrue(shapes.getMessage().contains(s.name() + " "), "names " + s.name() + ": " + shapes.getMessage());
            }
        }
        assertTrue(shapes.getMessage().endsWith("(conf key train.init)"), shapes.getMessage());
    }

    @Test
    void initResolvesPointersPathsAndScratch() throws Exception {
        Experiment e = experiment();
        ExperimentConfig production = ConfigLoader.parse("", List.of("train.init=production")).experiment();
        assertTrue(WarmStart.resolve(production, e, new Configuration()).isEmpty(), "no production yet: scratch");
        e.write(RunRecord.started("r", "t", null, "scratch", "file:/c", null, Map.of()));
        e.point(Experiment.PRODUCTION, "r");
        WarmStart w = WarmStart.resolve(production, e, new Configuration()).orElseThrow();
        assertEquals("r", w.parentRun());
        assertTrue(w.modelZip().endsWith("/exp/runs/r/model.zip"), w.modelZip());
        ExperimentConfig path = ConfigLoader.parse("", List.of("train.init=\"" + e.runDir("r") + "\"")).experiment();
        assertEquals("r", WarmStart.resolve(path, e, new Configuration()).orElseThrow().parentRun());
        ExperimentConfig nothing = ConfigLoader.parse("", List.of("train.init=\"" + dir.toUri() + "\"")).experiment();
        ConfigException x = assertThrows(ConfigException.class, () -> WarmStart.resolve(nothing, e, new Configuration()));
        assertTrue(x.getMessage().startsWith("train.init must be scratch, latest, production, or a run directory"),
                x.getMessage());
    }
}
