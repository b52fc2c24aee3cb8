package dev.sparktrain.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.RunLock;
import dev.sparktrain.job.engine.SharedSpark;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A daily retraining schedule on local Spark over dated CSV part files, through the command line as a
 * scheduler runs it: day 1 trains from scratch and becomes production; day 2 adds part files,
 * warm-starts from production, records both fingerprints and its parent, and is promoted only if
 * better; a bad run (lr = 50) exits 3 and leaves production alone; day 2's run id again does nothing;
 * unchanged data with --skip-if-unchanged does nothing; a held lock exits 4; a warm start into a
 * changed model stops before training, naming the parameters.
 */
@Tag("e2e")
class RetrainingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void localSpark() {
        SharedSpark.forCommandLine();
    }

    /** Two classes in 4 noisy features; a header row. */
    static void writePart(Path file, int rows, long seed) throws Exception {
        Files.createDirectories(file.getParent());
        Random r = new Random(seed);
        StringBuilder text = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < rows; i++) {
            int y = r.nextInt(2);
            for (int k = 0; k < 4; k++) {
                text.append(String.format(Locale.ROOT, "%.4f,", (k % 2 == y ? 0.8 : 0) + r.nextGaussian()));
            }
            text.append(y).append('\n');
        }
        Files.writeString(file, text);
    }

    record Outcome(int code, String out, String err) {
    }

    /** The command line with the schedule's settings plus {@code extra}, its stdout and stderr captured. */
    static Outcome train(Path experiment, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--set", "data.format=csv", "--set", "data.classes=2",
                "--set", "data.csv.header=true",
                "--set", "data.train.path=\"" + dir.resolve("data").toUri() + "day=*\"",
                "--set", "data.val.path=\"" + dir.resolve("val").toUri() + "\"",
                "--set", "model.type=mlp", "--set", "model.hidden=[8]", "--set", "train.epochs=2",
                "--set", "train.batch-size=16", "--set", "train.workers=2", "--set", "train.averaging-frequency=1",
                "--set", "optimizer.lr=0.005", "--set", "train.init=production",
                "--set", "output.dir=\"" + experiment.toUri() + "\""));
        args.addAll(List.of(extra));
        return run(args);
    }

    /** The command line with {@code args}, its stdout and stderr captured. */
    static Outcome run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true));
        int code;
        try {
            code = Main.run(new PrintWriter(err, true), args.toArray(String[]::new));
        } finally {
            System.setOut(before);
        }
        return new Outcome(code, out.toString(), err.toString());
    }

    static JsonNode record(Path experiment, String runId) throws Exception {
        return JSON.readTree(experiment.resolve("runs/" + runId + "/run.json").toFile());
    }

    /**
     * What {@code --outcome} wrote for {@code name}: its kind and code, and {@code sparktrain outcome}
     * reading it back exits with that code.
     */
    static void assertOutcome(String name, String kind, int code) throws Exception {
        Path file = dir.resolve("outcomes/" + name + ".json");
        JsonNode o = JSON.readTree(file.toFile());
        assertEquals(kind, o.get("outcome").asText(), o.toString());
        assertEquals(code, o.get("exit_code").asInt(), o.toString());
        assertTrue(o.hasNonNull("end") && !o.get("line").asText().isBlank(), o.toString());
        Outcome read = run(List.of("outcome", file.toUri().toString()));
        assertEquals(code, read.code(), read.err());
        assertEquals(o.get("line").asText(), read.out().trim());
    }

    static String outcomeUri(String name) {
        return dir.resolve("outcomes/" + name + ".json").toUri().toString();
    }

    static String pointer(Path experiment, String name) throws Exception {
        return Files.readString(experiment.resolve(name)).trim();
    }

    @Test
    void aDailyScheduleRetrainsWarmStartsPromotesAndRefusesWhatItShould() throws Exception {
        Path exp = dir.resolve("experiment");
        writePart(dir.resolve("val/part-0.csv"), 300, 100);
        writePart(dir.resolve("data/day=2026-12-01/part-0.csv"), 60, 1);
        writePart(dir.resolve("data/day=2026-12-01/part-1.csv"), 60, 2);

        // day 1: no production yet, so from scratch; the first model becomes production
        Outcome day1 = train(exp, "--run-id", "day1", "--set", "train.epochs=1", "--outcome", outcomeUri("day1"));
        assertEquals(0, day1.code(), day1.err());
        assertOutcome("day1", "promoted", 0);
        assertTrue(day1.out().contains("no such run yet; starting from scratch"), day1.out());
        JsonNode r1 = record(exp, "day1");
        assertEquals("succeeded", r1.get("status").asText());
        assertTrue(r1.get("parent").isNull());
        assertEquals(2, r1.get("fingerprint").get("train").get("files").asInt());
        assertEquals(1, r1.get("fingerprint").get("val").get("files").asInt());
        assertEquals("day1", pointer(exp, "production"));
        assertEquals("day1", pointer(exp, "latest"));

        // day 2: two more part files; warm start from production, promoted only if at least as good
        writePart(dir.resolve("data/day=2026-12-02/part-0.csv"), 60, 3);
        writePart(dir.resolve("data/day=2026-12-02/part-1.csv"), 60, 4);
        Outcome day2 = train(exp, "--run-id", "day2");
        JsonNode r2 = record(exp, "day2");
        assertEquals("day1", r2.get("parent").asText());
        assertTrue(r2.get("init").asText().startsWith("production: run day1"), r2.get("init").asText());
        assertTrue(day2.out().contains("starting from production: run day1"), day2.out());
        assertEquals(4, r2.get("fingerprint").get("train").get("files").asInt());
        assertNotEquals(r1.get("fingerprint").get("train").get("sha256"), r2.get("fingerprint").get("train").get("sha256"));
        assertEquals(r1.get("fingerprint").get("val"), r2.get("fingerprint").get("val"), "the same validation file");
        JsonNode p2 = r2.get("promotion");
        double candidate = p2.get("candidate").asDouble();
        double production = p2.get("production").asDouble();
        System.out.printf("day 2: val_accuracy %.4f against production (day 1, evaluated in the same job) %.4f%n",
                candidate, production);
        assertEquals("day1", p2.get("productionRun").asText());
        assertEquals(candidate >= production, p2.get("promoted").asBoolean());
        assertEquals(p2.get("promoted").asBoolean() ? 0 : 3, day2.code(), day2.err());
        assertTrue(p2.get("promoted").asBoolean(), "warm-started on twice the data: " + p2);
        assertEquals("day2", pointer(exp, "production"));

        // a bad run: trained, not promoted (exit 3), production and latest unchanged
        Outcome bad = train(exp, "--run-id", "bad", "--set", "optimizer.lr=50", "--outcome", outcomeUri("bad"));
        assertEquals(3, bad.code(), bad.out() + bad.err());
        assertOutcome("bad", "not-promoted", 3);
        assertEquals("not-promoted", record(exp, "bad").get("status").asText());
        assertTrue(bad.out().contains("not promoted (production unchanged)"), bad.out());
        assertEquals("day2", pointer(exp, "production"));
        assertEquals("day2", pointer(exp, "latest"));

        // day 2's run id again: nothing done, exit 0
        Map<String, String> day2Files = SparkPathCliTest.hashes(exp.resolve("runs/day2"));
        Outcome again = train(exp, "--run-id", "day2", "--outcome", outcomeUri("again"));
        assertEquals(0, again.code(), again.err());
        assertOutcome("again", "already-succeeded", 0);
        assertTrue(again.out().contains("run day2 already succeeded"), again.out());
        assertEquals(day2Files, SparkPathCliTest.hashes(exp.resolve("runs/day2")));

        // unchanged data and config: nothing done, naming the run that saw them
        Outcome same = train(exp, "--run-id", "day3", "--skip-if-unchanged", "--outcome", outcomeUri("same"));
        assertEquals(0, same.code(), same.err());
        assertOutcome("same", "unchanged", 0);
        assertTrue(same.out().contains("data and config unchanged since run day2"), same.out());
        assertFalse(Files.exists(exp.resolve("runs/day3")));

        // another run holds the lock: exit 4 at once, naming it
        try (RunLock held = new Experiment(exp.toUri().toString(), new Configuration()).lock("other",
                Duration.ofHours(2))) {
            Outcome locked = train(exp, "--run-id", "day4", "--outcome", outcomeUri("locked"));
            assertEquals(4, locked.code(), locked.out() + locked.err());
            assertOutcome("locked", "locked", 4);
            assertTrue(locked.err().contains("locked by run other") && locked.err().contains("pid "
                    + ProcessHandle.current().pid()), locked.err());
            assertFalse(Files.exists(exp.resolve("runs/day4")));
        }

        // a warm start into a wider model: stopped before training, every mismatch named with both shapes
        Outcome wide = train(exp, "--run-id", "wide", "--set", "model.hidden=[16]", "--outcome", outcomeUri("wide"));
        assertEquals(2, wide.code(), wide.out() + wide.err());
        assertOutcome("wide", "bad-config", 2);
        Outcome usage = train(exp, "--run-id", "usage", "--no-such-option", "--outcome", outcomeUri("usage"));
        assertEquals(2, usage.code(), usage.out() + usage.err());
        assertOutcome("usage", "bad-config", 2);
        // data that does not exist: a setting to fix
        Outcome gone = train(exp, "--run-id", "gone", "--set", "data.train.path=\"" + dir.resolve("gone").toUri()
                + "\"", "--outcome", outcomeUri("gone"));
        assertEquals(2, gone.code(), gone.out() + gone.err());
        assertOutcome("gone", "bad-config", 2);
        // a run that fails: a value in its data is not a number
        writePart(dir.resolve("bad/part-0.csv"), 60, 9);
        Files.writeString(dir.resolve("bad/part-0.csv"), Files.readString(dir.resolve("bad/part-0.csv"))
                .replaceFirst("\n([^,\n]*),", "\nx7,"));
        Outcome failed = train(exp, "--run-id", "failed", "--set", "data.train.path=\"" + dir.resolve("bad").toUri()
                + "\"", "--outcome", outcomeUri("failed"));
        assertEquals(1, failed.code(), failed.out() + failed.err());
        assertTrue(failed.err().contains("'x7' is not a finite number"), failed.err());
        assertOutcome("failed", "failed", 1);
        Outcome none = run(List.of("outcome", outcomeUri("never-written")));
        assertEquals(1, none.code());
        assertTrue(none.err().contains("no outcome at " + outcomeUri("never-written") + ": the job ended without "
                + "writing one"), none.err());
        assertTrue(wide.err().contains("[8, 4] there, [16, 4] here") || wide.err().contains("[4, 8] there, [4, 16] here"),
                wide.err());
        assertFalse(Files.exists(exp.resolve("runs/wide")));
        assertFalse(Files.exists(exp.resolve("lock")), "every run released the lock");
    }
}
