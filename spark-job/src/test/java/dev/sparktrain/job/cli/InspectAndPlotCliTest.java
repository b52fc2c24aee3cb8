package dev.sparktrain.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.chart.LearningCurves;
import dev.sparktrain.data.IdxFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code plot} and {@code inspect} on an experiment of three short local runs (2, 3 and 2 epochs, a
 * checkpoint each epoch): one picture of the three runs, the runs' and checkpoints' tables with their
 * epochs and steps, a checkpoint with one flipped byte named with its file, the saved configs; paths
 * that are none of these refused with one line.
 */
class InspectAndPlotCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path exp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(new PrintWriter(err, true), args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(before);
        }
    }

    @BeforeAll
    static void threeRuns() {
        IdxFiles.writeSynthetic(dir, "train", 160, 4, 1, true);
        exp = dir.resolve("exp");
        String[][] runs = {{"r-a", "0.05", "2"}, {"r-b", "0.02", "3"}, {"r-c", "0.1", "2"}};
        for (String[] r : runs) {
            Result trained = run("train", "--local", "--run-id", r[0], "--force-promote",
                    "--set", "data.train.images=" + dir.resolve("train-images-idx3-ubyte.gz").toUri(),
                    "--set", "data.train.labels=" + dir.resolve("train-labels-idx1-ubyte.gz").toUri(),
                    "--set", "data.val-fraction=0.25", "--set", "data.classes=4", "--set", "model.type=mlp",
                    "--set", "model.hidden=[8]", "--set", "train.batch-size=20", "--set", "optimizer.lr=" + r[1],
                    "--set", "train.epochs=" + r[2], "--set", "output.dir=" + exp.toUri());
            assertEquals(0, trained.code(), trained.out() + trained.err());
        }
    }

    private static String runDir(String id) {
        return exp.resolve("runs").resolve(id).toString();
    }

    /** The global step after {@code epoch} in a run's metrics.jsonl. */
    private static long step(String run, int epoch) throws Exception {
        List<String> lines = Files.readAllLines(exp.resolve("runs/" + run + "/metrics.jsonl"));
        return JSON.readTree(lines.get(epoch - 1)).get("step").asLong();
    }

    @Test
    void plotDrawsThreeRunsInOnePicture() throws Exception {
        Path png = dir.resolve("plots/three.png");
        Result r = run("plot", runDir("r-a"), runDir("r-b"), runDir("r-c"), "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3 runs (7 epochs)"), r.out());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LearningCurves.WIDTH, image.getWidth());
        assertEquals(LearningCurves.HEIGHT, image.getHeight());
        try (var files = Files.list(png.getParent())) {
            assertEquals(List.of("three.png"), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".crc")).toList(), "one picture, no temporary file");
        }
        Result again = run("plot", runDir("r-a"), "--out", png.toString());
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("already exists") && again.err().contains("--overwrite"), again.err());
        assertEquals(0, run("plot", runDir("r-a"), "--out", png.toString(), "--overwrite").code());
        assertTrue(Files.exists(exp.resolve("runs/r-b/curves.png")), "each run drew its own curves too");
    }

    @Test
    void aRunDirWithoutMetricsIsOneLineAndExitCode2() {
        Path png = dir.resolve("plots/bad.png");
        String notARun = dir.resolve("exp/runs").toString();
        Result r = run("plot", runDir("r-a"), notARun, "--out", png.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(notARun) && r.err().contains("not a run directory"), r.err());
        assertFalse(Files.exists(png));
    }

    @Test
    void inspectShowsRunsAndCheckpointsWithTheirEpochsAndSteps() throws Exception {
        Result r = run("inspect", exp.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("production: r-c"), out);
        for (String[] run : new String[][]{{"r-a", "2"}, {"r-b", "3"}, {"r-c", "2"}}) {
            int epochs = Integer.parseInt(run[1]);
            assertTrue(Pattern.compile("(?m)^" + run[0] + "\\s+succeeded\\s+" + epochs + "\\s+" + step(run[0], epochs)
                    + "\\s").matcher(out).find(), run[0] + " row: " + out);
            for (int e = 1; e <= epochs; e++) {
                assertTrue(Pattern.compile("(?m)^epoch-00000" + e + "\\s+" + e + "\\s+" + step(run[0], e) + "\\s")
                        .matcher(out).find(), run[0] + " checkpoint " + e + ": " + out);
            }
        }
        assertTrue(out.contains("accuracy 0."), out);
        Result one = run("inspect", exp.resolve("runs/r-b/checkpoints/epoch-000002").toString());
        assertEquals(0, one.code(), one.err());
        assertTrue(Pattern.compile("(?m)^epoch-000002\\s+2\\s+" + step("r-b", 2) + "\\s").matcher(one.out()).find(),
                one.out());
        Result run = run("inspect", runDir("r-b"));
        assertTrue(run.out().contains("epoch-000003") && run.out().startsWith("run "), run.out());
    }

    @Test
    void verifyNamesTheCheckpointAndFileWithAFlippedByte() throws Exception {
        Result ok = run("inspect", exp.toString(), "--verify");
        assertEquals(0, ok.code(), ok.err());
        assertEquals(7, ok.out().lines().filter(l -> l.startsWith("epoch-") && l.endsWith("  ok")).count(), ok.out());

        Path params = exp.resolve("runs/r-b/checkpoints/epoch-000002/params.bin");
        byte[] original = Files.readAllBytes(params);
        byte[] flipped = original.clone();
        flipped[flipped.length - 3] ^= 0x10;
        Files.write(params, flipped);
        // Hadoop's local file system keeps a .crc of its own; object stores keep none: the SHA-256 must notice
        Path crc = params.resolveSibling(".params.bin.crc");
        byte[] crcBytes = Files.readAllBytes(crc);
        Files.delete(crc);
        try {
            Result bad = run("inspect", exp.toString(), "--verify");
            assertEquals(1, bad.code(), bad.out() + bad.err());
            List<String> lines = bad.err().strip().lines().toList();
            assertEquals(1, lines.size(), bad.err());
            assertTrue(lines.get(0).contains("r-b/checkpoints/epoch-000002") && lines.get(0).contains("params.bin")
                    && lines.get(0).contains("checksum mismatch"), lines.get(0));
            assertTrue(bad.out().contains("FAILED (params.bin)"), bad.out());
        } finally {
            Files.write(params, original);
            Files.write(crc, crcBytes);
        }
    }

    @Test
    void configPrintsTheSavedConfigOfARunOrCheckpoint() throws Exception {
        Result a = run("inspect", exp.toString(), "--config=r-a");
        assertEquals(0, a.code(), a.err());
        JsonNode config = JSON.readTree(a.out());
        assertEquals(0.05, config.at("/optimizer/lr").asDouble(), a.out());
        Result ckpt = run("inspect", exp.resolve("runs/r-b/checkpoints/epoch-000001").toString(), "--config");
        assertEquals(0, ckpt.code(), ckpt.err());
        assertEquals(0.02, JSON.readTree(ckpt.out()).at("/optimizer/lr").asDouble(), ckpt.out());
        Result inRun = run("inspect", runDir("r-c"), "--config=epoch-000002");
        assertEquals(0.1, JSON.readTree(inRun.out()).at("/optimizer/lr").asDouble(), inRun.out() + inRun.err());
        Result unknown = run("inspect", exp.toString(), "--config=r-z");
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("r-z"), unknown.err());
    }

    @Test
    void aPathThatHoldsNoneOfTheseIsOneLineAndExitCode2() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        List<Result> bad = new ArrayList<>(List.of(run("inspect", empty.toString()),
                run("inspect", dir.resolve("missing").toString())));
        for (Result r : bad) {
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertTrue(bad.get(0).err().contains(empty.toString()) && bad.get(1).err().contains("does not exist"),
                bad.toString());
    }
}
