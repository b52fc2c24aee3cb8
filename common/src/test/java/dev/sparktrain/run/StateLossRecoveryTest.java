package dev.sparktrain.run;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.IdxFiles;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.Optimizers;
import dev.sparktrain.optim.StateDict;
import dev.sparktrain.train.RoundControl;
import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import dev.sparktrain.train.StateOwner;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.train.TrainingSnapshot;
import dev.sparktrain.trainer.DataInput;
import dev.sparktrain.trainer.LocalBackend;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the workers that keep the training state lose it (an executor of the collective transport
 * dies), the run goes back to its newest checkpoint (a mid-epoch one included), replays, and ends
 * with exactly the figures of a run that lost nothing; after its recoveries are spent, it fails.
 */
class StateLossRecoveryTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeData() {
        IdxFiles.writeSynthetic(dir, "train", 240, 10, 1, true);
    }

    private static JobConfig config(String run) {
        return ConfigLoader.parse("", List.of("data.format=idx",
                "data.train.images=\"" + dir.resolve(IdxFiles.imagesName("train", true)).toUri() + "\"",
                "data.train.labels=\"" + dir.resolve(IdxFiles.labelsName("train", true)).toUri() + "\"",
                "data.val-fraction=0.2", "model.type=mlp", "model.hidden=[16]", "model.dtype=float64",
                "train.epochs=3", "train.batch-size=8", "train.workers=2", "train.averaging-frequency=1", "optimizer.type=adam",
                "optimizer.lr=0.01", "checkpoint.every-steps=5", "output.dir=\"" + dir.resolve(run).toUri() + "\""));
    }

    private static TrainingResult train(String run, int loseAtRound, int recoveries, ByteArrayOutputStream console) {
        JobConfig config = config(run);
        return new TrainingRun(config, new PrintStream(console, true)).fit(spec -> new OwningExecutor(
                new LocalBackend(new Configuration()).executor(config, DataInput.configured(), spec),
                new dev.sparktrain.model.Replica(spec).layout(), loseAtRound, recoveries));
    }

    @Test
    void aLostStateGoesBackToTheNewestCheckpointAndEndsAsIfNothingWasLost() {
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        TrainingSnapshot straight = train("straight", 0, 0, quiet).snapshot();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TrainingSnapshot recovered = train("recovered", 33, 3, console).snapshot();
        String out = console.toString();
        assertEquals(39, straight.globalStep(), "3 epochs of 13 steps: round 33 is step 7 of epoch 3");
        assertTrue(out.contains("the executors lost the training state (executor 1 died at round 33); going back to "
                + "the checkpoint in epoch 3 after its step "), out);
        assertEquals(straight.globalStep(), recovered.globalStep());
        assertArrayEquals(straight.params().toDoubleVector(), recovered.params().toDoubleVector());
        assertEquals(straight.history().stream().map(m -> List.of(m.trainLoss(), m.valLoss())).toList(),
                recovered.history().stream().map(m -> List.of(m.trainLoss(), m.valLoss())).toList());
    }

    @Test
    void withoutRecoveriesLeftTheLossFailsTheRun() {
        StateOwner.StateLost e = assertThrows(StateOwner.StateLost.class,
                () -> train("failing", 3, 0, new ByteArrayOutputStream()));
        assertEquals("executor 1 died at round 3", e.getMessage());
    }

    /**
     * Keeps the state itself and steps the optimizer, as collective workers do, over the in-process
     * executor's gradients; forgets the state at round {@code loseAt} (once).
     */
    static final class OwningExecutor implements StepExecutor, StateOwner {
        private final StepExecutor local;
        private final dev.sparktrain.model.ParamLayout layout;
        private final int loseAt;
        private final int recoveries;
        private int rounds;
        private INDArray params;
        private GroupedOptimizer optimizer;

        OwningExecutor(StepExecutor local, dev.sparktrain.model.ParamLayout layout, int loseAt, int recoveries) {
            this.local = local;
            this.layout = layout;
            this.loseAt = loseAt;
            this.recoveries = recoveries;
        }

        @Override
        public Optional<StateOwner> stateOwner() {
            return Optional.of(this);
        }

        @Override
        public void load(INDArray params, OptimizerSpec spec, StateDict state) {
            this.params = params.dup();
            this.optimizer = Optimizers.restore(spec, layout, state);
        }

        @Override
        public RoundResult.Stepped round(RoundControl c) {
            if (++rounds == loseAt) {
                params = null;
                throw new StateLost("executor 1 died at round " + rounds, recoveries, null);
            }
            for (int g = 0; g < c.groups().size(); g++) {
                optimizer.setHyperParams(g, c.groups().get(g).hyper());
            }
            RoundResult.Gradients g = (RoundResult.Gradients) local.round(
                    RoundRequest.synchronous(c.epoch(), c.firstStep(), params));
            optimizer.step(params, g.sum().divi(g.count()));
            return new RoundResult.Stepped(g.lossSum(), g.count(), params.sumNumber().doubleValue());
        }

        @Override
        public INDArray params() {
            return params.dup();
        }

        @Override
        public StateDict optimizerState() {
            return optimizer.stateDict();
        }

        @Override
        public Evaluation evaluate() {
            return local.evaluate(params);
        }

        @Override
        public int stepsPerEpoch() {
            return local.stepsPerEpoch();
        }

        @Override
        public RoundResult round(RoundRequest request) {
            throw new IllegalStateException("rounds go through stateOwner()");
        }

        @Override
        public Evaluation evaluate(INDArray at) {
            return local.evaluate(at);
        }
    }
}
