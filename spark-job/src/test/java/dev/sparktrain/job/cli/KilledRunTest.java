package dev.sparktrain.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.job.engine.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.RunLock;
import org.apache.hadoop.conf.Configuration;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run killed with SIGKILL in the middle of its second epoch (a separate JVM, as a scheduler's job
 * dies), started again with the same run id, resumes from its own checkpoint and ends with exactly the
 * figures of an uninterrupted run of the same config. One stopped with SIGTERM (a scheduler's timeout)
 * records itself as interrupted, in run.json and in its --outcome file, and resumes the same way.
 */
@Tag("e2e")
class KilledRunTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void localSpark() {
        SharedSpark.forCommandLine();
    }

    private static List<String> job(Path experiment) {
        return job(experiment, "k");
    }

    private static List<String> job(Path experiment, String runId) {
        return List.of("train", "--set", "data.format=csv", "--set", "data.classes=2", "--set", "data.csv.header=true",
                "--set", "data.train.path=\"" + dir.resolve("data").toUri() + "\"", "--set", "data.val-fraction=0.2",
                "--set", "model.type=mlp", "--set", "model.hidden=[32]", "--set", "train.epochs=3",
                "--set", "train.batch-size=8", "--set", "train.workers=2", "--set", "train.averaging-frequency=1",
                "--set", "optimizer.lr=0.003", "--set", "output.dir=\"" + experiment.toUri() + "\"", "--run-id", runId);
    }

    @BeforeAll
    static void writeData() throws Exception {
        for (int p = 0; p < 4; p++) {
            RetrainingTest.writePart(dir.resolve("data/part-" + p + ".csv"), 700, 10 + p);
        }
    }

    /** The job in a JVM of its own, stopped in epoch 2 by SIGKILL ({@code forcibly}) or SIGTERM; its exit code. */
    private static int stoppedInEpoch2(Path experiment, boolean forcibly, String... more) throws Exception {
        return inEpoch2(experiment, "k", child -> {
            if (forcibly) {
                child.destroyForcibly(); // SIGKILL
            } else {
                child.destroy(); // SIGTERM
            }
        }, more);
    }

    /** The epochs run.json of {@code run} says are done (0 before it exists or while it is being replaced). */
    private static int epochsRecorded(Path run) {
        try {
            return new ObjectMapper().readTree(run.resolve("run.json").toFile()).get("epochs").asInt();
        } catch (Exception e) {
            return 0;
        }
    }

    /** What is done to the job's JVM in epoch 2. */
    private interface Stop {
        void at(Process child) throws Exception;
    }

    /** The job (run {@code runId}) in a JVM of its own, {@code stop} done to it in epoch 2; its exit code. */
    private static int inEpoch2(Path experiment, String runId, Stop stop, String... more) throws Exception {
        Path run = experiment.resolve("runs/" + runId);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || arg.startsWith("-Dorg.") || arg.startsWith("-Djdk.")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xmx1g", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
                "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(job(experiment, runId));
        command.addAll(List.of(more));
        Path log = dir.resolve(experiment.getFileName() + ".log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Path metrics = run.resolve("metrics.jsonl");
            // epoch 1 ended: its metrics line and run.json's epoch count (written by the last listener) are there
            while (!(Files.exists(metrics) && Files.readAllLines(metrics).size() == 1 && epochsRecorded(run) == 1)) {
                assertTrue(child.isAlive(), "the job ended early: " + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "no first epoch in 120 s");
                Thread.sleep(20);
            }
            Thread.sleep(300); // into epoch 2
            stop.at(child);
        } finally {
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor();
            }
        }
        assertEquals(1, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "stopped during epoch 2");
        return child.exitValue();
    }

    @Test
    void aRunKilledMidEpochAndStartedAgainEndsAsAnUninterruptedRun() throws Exception {
        Path killed = dir.resolve("killed");
        Path run = killed.resolve("runs/k");
        assertEquals(137, stoppedInEpoch2(killed, true), "killed by SIGKILL");
        ObjectMapper json = new ObjectMapper();
        assertEquals("running", json.readTree(run.resolve("run.json").toFile()).get("status").asText());
        assertTrue(Files.exists(killed.resolve("lock")), "the dead run's lock is left behind");

        RetrainingTest.Outcome resumed = RetrainingTest.run(job(killed));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("run k was interrupted: its run.json still says running (its process was "
                + "killed without recording its end)"), resumed.out());
        assertTrue(resumed.out().contains("resuming run k from") && resumed.out().contains("after epoch 1"),
                resumed.out());
        assertEquals(uninterrupted(), figures(run.resolve("metrics.jsonl")));
        assertEquals("succeeded", json.readTree(run.resolve("run.json").toFile()).get("status").asText());
    }

    @Test
    void aRunStoppedBySigtermRecordsItselfInterruptedAndResumes() throws Exception {
        Path stopped = dir.resolve("stopped");
        Path run = stopped.resolve("runs/k");
        Path outcome = dir.resolve("stopped-outcome.json");
        assertEquals(143, stoppedInEpoch2(stopped, false, "--outcome", outcome.toUri().toString()),
                "stopped by SIGTERM");
        JsonNode record = new ObjectMapper().readTree(run.resolve("run.json").toFile());
        assertEquals("interrupted", record.get("status").asText(), record.toString());
        assertTrue(record.get("error").asText().startsWith("interrupted by a signal (SIGTERM or Ctrl-C) after 1 "
                + "epoch(s)"), record.toString());
        assertTrue(record.hasNonNull("end"), record.toString());
        JsonNode written = new ObjectMapper().readTree(outcome.toFile());
        assertEquals("interrupted", written.get("outcome").asText(), written.toString());
        assertEquals(1, written.get("exit_code").asInt());

        RetrainingTest.Outcome resumed = RetrainingTest.run(job(stopped));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("run k was interrupted (interrupted by a signal (SIGTERM or Ctrl-C) after "
                + "1 epoch(s)"), resumed.out());
        assertEquals(uninterrupted(), figures(run.resolve("metrics.jsonl")));
    }

    /**
     * A run paused (SIGSTOP) past its lease, whose lock another run takes over meanwhile, continued
     * (SIGCONT): it stops with exit 4 and one line saying it lost the lock, before writing anything
     * more; production, latest and its checkpoints stay as they were.
     */
    @Test
    void aRunPausedPastItsLeaseStopsWithoutWritingWhenContinued() throws Exception {
        Path exp = dir.resolve("paused");
        RetrainingTest.Outcome base = RetrainingTest.run(job(exp, "base"));
        assertEquals(0, base.code(), base.err());
        Path checkpoints = exp.resolve("runs/p/checkpoints");
        List<String> atPause = new ArrayList<>();
        int code = inEpoch2(exp, "p", child -> {
            signal("STOP", child);
            try (var list = Files.list(checkpoints)) {
                list.forEach(f -> atPause.add(f.getFileName().toString()));
            }
            Thread.sleep(4000); // past lock.stale-after = 3 s
            try (RunLock thief = new Experiment(exp.toUri().toString(), new Configuration()).lock("thief",
                    Duration.ofSeconds(1), Duration.ofSeconds(3), "")) {
                signal("CONT", child);
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the continued run did not stop");
                assertEquals("thief", thief.holder().runId());
            }
        }, "--set", "lock.heartbeat=1s");
        String log = Files.readString(dir.resolve("paused.log"));
        assertEquals(4, code, log);
        String last = log.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("locked: run p lost the experiment's lock") && last.contains("it stopped before "
                + "writing anything more"), last);
        assertEquals("base", RetrainingTest.pointer(exp, "production"));
        assertEquals("base", RetrainingTest.pointer(exp, "latest"));
        List<String> after = new ArrayList<>();
        try (var list = Files.list(checkpoints)) {
            list.forEach(f -> after.add(f.getFileName().toString()));
        }
        assertEquals(atPause.stream().sorted().toList(), after.stream().sorted().toList(), "no checkpoint written");
    }

    private static void signal(String name, Process child) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(child.pid())).inheritIO().start().waitFor());
    }

    private static List<String> straight;

    /** The figures of the same job run without a stop (run once). */
    private static synchronized List<String> uninterrupted() throws Exception {
        if (straight == null) {
            RetrainingTest.Outcome r = RetrainingTest.run(job(dir.resolve("straight")));
            assertEquals(0, r.code(), r.err());
            straight = figures(dir.resolve("straight/runs/k/metrics.jsonl"));
            assertEquals(3, straight.size());
        }
        return straight;
    }

    /** Every figure of every epoch but the timings. */
    private static List<String> figures(Path metrics) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode m = new ObjectMapper().readTree(line);
            out.add(m.get("epoch") + " " + m.get("step") + " " + m.get("train_loss") + " " + m.get("train_examples")
                    + " " + m.get("val_loss") + " " + m.get("val_accuracy") + " " + m.get("lr"));
        }
        return out;
    }
}
