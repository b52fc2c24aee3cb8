package dev.sparktrain.job.engine;

import dev.sparktrain.config.JobConfig;
import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.RunStatus;
import dev.sparktrain.train.TrainingListener;
import dev.sparktrain.run.RunDirectory;
import dev.sparktrain.run.TrainingRun;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.TrainingSnapshot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 3 epochs straight vs a run that fails in the middle of epoch 3 and is started again with its run id:
 * it resumes from its epoch-2 checkpoint and ends with the same parameters and epoch-3 metrics, bit
 * for bit (the checkpoint holds the exact state, and rounds sum in shard order).
 */
class ResumeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "averaging-frequency {0}, {1}")
    @CsvSource(delimiter = '|', value = {
            "1 | optimizer.type=adam",
            "3 | optimizer.type=adam",
            "1 | optimizer.type=sgd;optimizer.momentum=0.9;optimizer.frozen=[conv1];"
                    + "optimizer.add-groups=[{epoch = 2, layers = [conv1], lr = 0.001}];"
                    + "scheduler.type=cosine;scheduler.T_max=3",
            "3 | optimizer.type=rmsprop;optimizer.groups=[{layers = [fc3], lr = 0.0005}];"
                    + "scheduler.type=plateau;scheduler.patience=0;scheduler.factor=0.5"})
    void resumedRunEndsWhereAnUninterruptedRunEnds(int k, String options) throws Exception {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("train.workers=2",
                "train.batch-size=16", "train.averaging-frequency=" + k, "optimizer.lr=0.002"));
        all.addAll(java.util.Arrays.asList(options.split(";")));
        String[] common = all.toArray(String[]::new);
        JobConfig straight = TestJobs.synthetic(dir.resolve("a"), 240, common).with("train.epochs", 3);
        TrainingSnapshot full = run(straight);

        JobConfig interrupted = TestJobs.synthetic(dir.resolve("b"), 240, common).with("train.epochs", 3)
                .with("output.run-id", "r");
        TrainingListener crash = new TrainingListener() {
            @Override
            public void onRoundEnd(RoundEvent event) {
                if (event.epoch() == 2) {
                    throw new IllegalStateException("simulated crash in epoch 3");
                }
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TrainingRun(interrupted,
                System.out).withListeners(List.of(crash)).run(spec -> new SparkExecutor(SharedSpark.context(),
                interrupted, spec)));
        assertEquals("simulated crash in epoch 3", e.getMessage());
        Experiment experiment = new Experiment(interrupted.output().dir(), new org.apache.hadoop.conf.Configuration());
        assertEquals(RunStatus.FAILED, experiment.run("r").orElseThrow().status());
        TrainingSnapshot resumed = run(interrupted);

        assertEquals(3, resumed.epochsDone());
        assertEquals(full.globalStep(), resumed.globalStep());
        assertArrayEquals(full.params().toDoubleVector(), resumed.params().toDoubleVector(), "final parameters");
        EpochMetrics a = full.history().get(2);
        EpochMetrics b = resumed.history().get(2);
        assertEquals(a.trainLoss(), b.trainLoss(), "epoch 3 train loss");
        assertEquals(a.valLoss(), b.valLoss(), "epoch 3 val loss");
        assertEquals(a.valAccuracy(), b.valAccuracy());
        assertEquals(a.step(), b.step());
        assertEquals(a.lr(), b.lr());
        assertEquals(full.optimizerState().steps(), resumed.optimizerState().steps());
        assertEquals(full.schedulerState().toString(), resumed.schedulerState().toString());

        // the run directory: 3 metrics lines (no duplicate of a resumed epoch), a plain DL4J model
        assertEquals(RunStatus.SUCCEEDED, experiment.run("r").orElseThrow().status());
        Path runDir = Path.of(java.net.URI.create(experiment.runDir("r")));
        List<String> lines = Files.readAllLines(runDir.resolve(RunDirectory.METRICS));
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith("{\"epoch\":3,"), lines.get(2));
        MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(new File(runDir.toFile(), RunDirectory.MODEL));
        assertEquals(resumed.params(), model.params().castTo(resumed.params().dataType()));
    }

    private static TrainingSnapshot run(JobConfig config) {
        return new TrainingRun(config, System.out).run(spec -> new SparkExecutor(SharedSpark.context(), config, spec));
    }
}
