package dev.sparktrain.run;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.IdxFiles;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.experiment.Attempt;
import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.RunRecord;
import dev.sparktrain.experiment.RunStatus;
import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.trainer.DataInput;
import dev.sparktrain.trainer.LocalBackend;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a run can fail after it started leaves its run.json {@code failed}, with the one line the
 * command prints and the end time, never {@code running}: in its first round (with the checked
 * exception a failed Spark job is, thrown unchecked), in validation, in checkpointing and in promotion.
 * Started again, the run says how it ended before it resumes.
 */
class RunEndRecordTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeData() {
        IdxFiles.writeSynthetic(dir, "train", 160, 10, 1, true);
    }

    private static JobConfig config(String experiment, String... more) {
        List<String> keys = new ArrayList<>(List.of("data.format=idx",
                "data.train.images=\"" + dir.resolve(IdxFiles.imagesName("train", true)).toUri() + "\"",
                "data.train.labels=\"" + dir.resolve(IdxFiles.labelsName("train", true)).toUri() + "\"",
                "data.val-fraction=0.25", "model.type=mlp", "model.hidden=[8]", "train.epochs=2", "train.batch-size=16",
                "output.run-id=r", "output.dir=\"" + dir.resolve(experiment).toUri() + "\""));
        keys.addAll(List.of(more));
        return ConfigLoader.parse("", keys);
    }

    /** Fails the {@code failRound}-th round or the {@code failEval}-th evaluation (1-based; 0: never). */
    private static TrainingResult train(JobConfig config, int failRound, int failEval, ByteArrayOutputStream console) {
        return new TrainingRun(config, new PrintStream(console, true)).fit(spec -> new Failing(
                new LocalBackend(new Configuration()).executor(config, DataInput.configured(), spec), failRound, failEval));
    }

    private static RunRecord record(String experiment) {
        return new Experiment(dir.resolve(experiment).toUri().toString(), new Configuration()).run("r").orElseThrow();
    }

    private static void assertFailed(String experiment, String line) {
        RunRecord r = record(experiment);
        assertEquals(RunStatus.FAILED, r.status(), "run.json of " + experiment);
        assertEquals(line, r.error());
        assertNotNull(r.end(), "the end time");
    }

    @Test
    void aFailureInTheFirstRoundIsRecordedAndTheNextStartSaysSo() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        assertThrows(IOException.class, () -> train(config("first-round"), 1, 0, console));
        assertFailed("first-round", "error: Got rank 2 array as input to ConvolutionLayer with shape [16, 12288]");

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        TrainingResult resumed = train(config("first-round"), 0, 0, again);
        assertTrue(again.toString().startsWith("run r failed (error: Got rank 2 array as input to ConvolutionLayer "
                + "with shape [16, 12288], ended "), again.toString());
        assertEquals(RunOutcome.PROMOTED, resumed.outcome());
        RunRecord done = record("first-round");
        assertEquals(RunStatus.SUCCEEDED, done.status());
        assertEquals(null, done.error(), "a resumed run's error is cleared");
    }

    @Test
    void aLaterAttemptOfTheSameYarnApplicationContinuesTheRunItsFirstAttemptStarted() {
        // no run id configured: each start would be a new run, except a later attempt of the application
        Attempt first = new Attempt("application_1796691380832_0004", 1);
        List<String> keys = List.of("output.run-id=\"\"");
        JobConfig noRunId = config("attempts", keys.toArray(String[]::new));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        assertThrows(IOException.class, () -> new TrainingRun(noRunId, new PrintStream(console, true)).withAttempt(first)
                .fit(spec -> new Failing(new LocalBackend(new Configuration()).executor(noRunId, DataInput.configured(),
                        spec), 3, 0)));
        Experiment experiment = new Experiment(dir.resolve("attempts").toUri().toString(), new Configuration());
        RunRecord started = experiment.runs().get(0);
        assertEquals(first.application(), started.application(), "run.json names the application");

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        TrainingResult r = new TrainingRun(noRunId, new PrintStream(second, true))
                .withAttempt(new Attempt(first.application(), 2)).fit(spec -> new LocalBackend(new Configuration())
                        .executor(noRunId, DataInput.configured(), spec));
        assertEquals(started.runId(), r.runId(), second.toString());
        assertTrue(second.toString().startsWith("attempt 2 of application_1796691380832_0004: continuing run "
                + started.runId() + ", which an earlier attempt started"), second.toString());
        assertEquals(1, experiment.runs().size());
        assertEquals(RunStatus.SUCCEEDED, experiment.runs().get(0).status());

        // another application's attempt 2 starts its own run
        TrainingResult other = new TrainingRun(noRunId, new PrintStream(new ByteArrayOutputStream(), true))
                .withAttempt(new Attempt("application_1796691380832_0005", 2)).fit(spec -> new LocalBackend(
                        new Configuration()).executor(noRunId, DataInput.configured(), spec));
        assertTrue(!other.runId().equals(started.runId()), other.runId());
        assertEquals(2, experiment.runs().size());
    }

    @Test
    void aFailureInValidationIsRecorded() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        assertThrows(IllegalStateException.class, () -> train(config("validation"), 0, 1, console));
        assertFailed("validation", "error: evaluation 1 failed");
    }

    @Test
    void aFailureInCheckpointingIsRecorded() throws IOException {
        Path blocker = Files.writeString(dir.resolve("a-file"), "not a folder");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        JobConfig config = config("checkpointing", "checkpoint.dir=\"" + blocker.resolve("ckpt").toUri() + "\"");
        RuntimeException e = assertThrows(RuntimeException.class, () -> train(config, 0, 0, console));
        RunRecord r = record("checkpointing");
        assertEquals(RunStatus.FAILED, r.status());
        assertEquals(Failure.of(e).line(), r.error());
        assertTrue(r.error().contains("a-file"), r.error());
    }

    @Test
    void aFailureInPromotionIsRecordedAndProductionStays() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        assertEquals(RunOutcome.PROMOTED, train(config("promotion", "output.run-id=first"), 0, 0, console).outcome());
        // 2 epochs evaluate twice; the third evaluation is the production model's, in the gate
        assertThrows(IllegalStateException.class, () -> train(config("promotion"), 0, 3, console));
        assertFailed("promotion", "error: evaluation 3 failed");
        Experiment experiment = new Experiment(dir.resolve("promotion").toUri().toString(), new Configuration());
        assertEquals("first", experiment.pointer(Experiment.PRODUCTION).orElseThrow());
    }

    /** A local executor that fails where told, as a Spark job fails: a checked exception thrown unchecked. */
    private static final class Failing implements StepExecutor {
        private final StepExecutor inner;
        private final int failRound;
        private final int failEval;
        private int rounds;
        private int evals;

        Failing(StepExecutor inner, int failRound, int failEval) {
            this.inner = inner;
            this.failRound = failRound;
            this.failEval = failEval;
        }

        @Override
        public int stepsPerEpoch() {
            return inner.stepsPerEpoch();
        }

        @Override
        public RoundResult round(RoundRequest request) {
            if (++rounds == failRound) {
                throw Failing.<RuntimeException>sneaky(new IOException(
                        "Got rank 2 array as input to ConvolutionLayer with shape [16, 12288]"));
            }
            return inner.round(request);
        }

        @Override
        public Evaluation evaluate(INDArray params) {
            if (++evals == failEval) {
                throw new IllegalStateException("evaluation " + evals + " failed");
            }
            return inner.evaluate(params);
        }

        @Override
        public void close() {
            inner.close();
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> T sneaky(Throwable t) throws T {
            throw (T) t;
        }
    }
}
