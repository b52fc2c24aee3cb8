package dev.sparktrain.job.engine;

import dev.sparktrain.config.JobConfig;
import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.RunStatus;
import dev.sparktrain.run.TrainingRun;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.train.TrainingListener;
import dev.sparktrain.train.TrainingSnapshot;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * checkpoint.every-steps: a run killed late in its second epoch resumes from the checkpoint written
 * inside that epoch (not from the end of the first) and ends with exactly the parameters, optimizer and
 * scheduler state and epoch figures of an uninterrupted run; on the single-process trainer and on Spark.
 */
class MidEpochResumeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, averaging-frequency {1}, {2}")
    @CsvSource(delimiter = '|', value = {
            "local | 1 | optimizer.type=adam;scheduler.type=onecycle;scheduler.interval=step;scheduler.max_lr=0.01;scheduler.total_steps=40",
            "spark | 1 | optimizer.type=sgd;optimizer.momentum=0.9;optimizer.frozen=[conv1];"
                    + "optimizer.add-groups=[{epoch = 2, layers = [conv1], lr = 0.001}]",
            "spark | 2 | optimizer.type=adam;scheduler.type=onecycle;scheduler.interval=step;scheduler.max_lr=0.01;scheduler.total_steps=40"})
    void aRunKilledInsideAnEpochResumesThereAndEndsWhereAnUninterruptedRunEnds(String where, int k, String options)
            throws Exception {
        List<String> all = new ArrayList<>(List.of("train.workers=2", "train.batch-size=16",
                "train.averaging-frequency=" + k, "optimizer.lr=0.002", "train.epochs=2", "checkpoint.every-steps=4",
                "checkpoint.keep=10"));
        all.addAll(Arrays.asList(options.split(";")));
        String[] overrides = all.toArray(String[]::new);
        JobConfig straight = TestJobs.synthetic(dir.resolve("a"), 240, overrides);
        TrainingSnapshot full = run(where, straight, List.of(), System.out);

        JobConfig killed = TestJobs.synthetic(dir.resolve("b"), 240, overrides).with("output.run-id", "r");
        AtomicReference<Integer> stepsPerEpoch = new AtomicReference<>();
        TrainingListener crash = new TrainingListener() {
            @Override
            public void onRoundEnd(RoundEvent event) {
                stepsPerEpoch.set(event.epochSteps());
                if (event.epoch() == 1 && event.lastOfEpoch()) {
                    throw new IllegalStateException("killed before the end of epoch 2");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> run(where, killed, List.of(crash), System.out));
        Experiment experiment = new Experiment(killed.output().dir(), new org.apache.hadoop.conf.Configuration());
        assertEquals(RunStatus.FAILED, experiment.run("r").orElseThrow().status());
        Path checkpoints = Path.of(java.net.URI.create(experiment.runDir("r"))).resolve("checkpoints");
        int steps = stepsPerEpoch.get();
        long lastInside = lastMultipleOf4Inside(steps, k);
        String midEpoch = String.format("epoch-000001-step-%09d", lastInside);
        assertEquals(List.of("epoch-000001", midEpoch), names(checkpoints),
                "epoch 1's mid-epoch checkpoints are removed by its end checkpoint; epoch 2's stay");

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TrainingSnapshot resumed = run(where, killed, List.of(), new PrintStream(console, true, StandardCharsets.UTF_8));
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("resuming run r from ") && printed.contains(" in epoch 2 after its step "
                + (lastInside - steps) + " (step " + lastInside + ")"), printed);

        assertEquals(2, resumed.epochsDone());
        assertEquals(full.globalStep(), resumed.globalStep());
        assertEquals(full.params(), resumed.params());
        assertTrue(Arrays.equals(full.params().data().asFloat(), resumed.params().data().asFloat()),
                "the parameters are bit-for-bit those of the uninterrupted run");
        assertEquals(full.optimizerState().steps(), resumed.optimizerState().steps());
        assertEquals(full.optimizerState().groups(), resumed.optimizerState().groups());
        for (String key : full.optimizerState().buffers().keySet()) {
            assertTrue(Arrays.equals(full.optimizerState().buffers().get(key).data().asFloat(),
                    resumed.optimizerState().buffers().get(key).data().asFloat()), key);
        }
        assertEquals(full.schedulerState().toString(), resumed.schedulerState().toString());
        for (int e = 0; e < 2; e++) {
            EpochMetrics a = full.history().get(e);
            EpochMetrics b = resumed.history().get(e);
            assertEquals(a.trainLoss(), b.trainLoss(), "train loss of epoch " + (e + 1));
            assertEquals(a.trainExamples(), b.trainExamples());
            assertEquals(a.valLoss(), b.valLoss());
            assertEquals(a.valAccuracy(), b.valAccuracy());
            assertEquals(a.step(), b.step());
            assertEquals(a.lr(), b.lr());
        }
        assertEquals(RunStatus.SUCCEEDED, experiment.run("r").orElseThrow().status());
        assertEquals(List.of("epoch-000001", "epoch-000002"), names(checkpoints));
    }

    /** The global step of the last checkpoint inside epoch 2: the last round end there crossing a multiple of 4. */
    private static long lastMultipleOf4Inside(int steps, int k) {
        long last = -1;
        for (int first = 0; first + k < steps; first += k) {
            long before = steps + first;
            long after = before + k;
            if (after / 4 > before / 4) {
                last = after;
            }
        }
        return last;
    }

    private static List<String> names(Path checkpoints) throws Exception {
        try (Stream<Path> s = Files.list(checkpoints)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("epoch-")).sorted().toList();
        }
    }

    private static TrainingSnapshot run(String where, JobConfig config, List<TrainingListener> listeners,
                                        PrintStream console) {
        return new TrainingRun(config, console).withListeners(listeners).run(spec -> executor(where, config, spec));
    }

    private static StepExecutor executor(String where, JobConfig config, dev.sparktrain.model.ModelSpec spec) {
        return where.equals("local") ? TestJobs.local(config, spec)
                : new SparkExecutor(SharedSpark.context(), config, spec);
    }
}
