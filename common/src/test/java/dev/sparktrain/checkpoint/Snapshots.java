package dev.sparktrain.checkpoint;

import dev.sparktrain.optim.HyperParams;
import dev.sparktrain.optim.StateDict;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.TrainingSnapshot;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Snapshots to save and exact comparisons, shared by the checkpoint tests (local and HDFS). */
final class Snapshots {
    private Snapshots() {
    }

    static EpochMetrics metrics(int epoch) {
        return new EpochMetrics(epoch, 100L * epoch, 2.0 / epoch, 6400, 1.5 / epoch, 0.5 + 0.1 * epoch, 1000,
                1234.5, 5.25, 6.5, List.of(1e-3, 1e-4));
    }

    /** A snapshot after {@code epoch} epochs whose arrays all depend on the epoch. */
    static TrainingSnapshot snapshot(INDArray initialParams, int epoch, String configJson) {
        INDArray params = initialParams.add(0.01 * epoch);
        long n = params.length();
        INDArray expAvg = Nd4j.linspace(-1, 1, n, params.dataType()).muli(epoch);
        INDArray expAvgSq = expAvg.mul(expAvg).addi(1e-7);
        StateDict state = new StateDict(
                List.of(new StateDict.GroupState(List.of("all"), HyperParams.defaults("adam", 1e-3 * epoch))),
                Map.of("all", 7L * epoch), Map.of("all/exp_avg", expAvg, "all/exp_avg_sq", expAvgSq));
        Map<String, Object> scheduler = Map.of("last_epoch", epoch, "base_lrs", List.of(0.1, 0.01));
        List<EpochMetrics> history = Stream.iterate(1, e -> e + 1).limit(epoch).map(Snapshots::metrics).toList();
        return new TrainingSnapshot(epoch, 100L * epoch, params, state, scheduler, 42, configJson, history);
    }

    /** {@code snapshot} moved inside its next epoch: {@code stepsDone} steps of it, global step {@code step}. */
    static TrainingSnapshot inside(TrainingSnapshot s, int stepsDone, long step) {
        return new TrainingSnapshot(s.epochsDone(), step, s.params().add(stepsDone), s.optimizerState(),
                s.schedulerState(), s.seed(), s.configJson(), s.history(),
                new dev.sparktrain.train.EpochPosition(stepsDone, 0.1 * stepsDone, 16L * stepsDone, 0.5 * stepsDone));
    }

    /** Same dtype, shape and bit-for-bit values (INDArray.equals allows a 1e-5 difference). */
    static void assertExactlyEqual(INDArray expected, INDArray actual, String what) {
        assertNotNull(actual, what);
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertArrayEquals(expected.toDoubleVector(), actual.toDoubleVector(), what);
    }

    static void assertSameSnapshot(TrainingSnapshot expected, TrainingSnapshot actual) {
        assertEquals(expected.epochsDone(), actual.epochsDone());
        assertEquals(expected.globalStep(), actual.globalStep());
        assertEquals(expected.seed(), actual.seed());
        assertEquals(expected.configJson(), actual.configJson());
        assertEquals(expected.history(), actual.history());
        assertEquals(expected.position(), actual.position());
        assertExactlyEqual(expected.params(), actual.params(), "params");
        assertEquals(expected.optimizerState().steps(), actual.optimizerState().steps());
        assertEquals(expected.optimizerState().groups(), actual.optimizerState().groups());
        assertEquals(expected.schedulerState(), actual.schedulerState());
        assertEquals(expected.optimizerState().buffers().keySet(), actual.optimizerState().buffers().keySet());
        expected.optimizerState().buffers()
                .forEach((k, v) -> assertExactlyEqual(v, actual.optimizerState().buffers().get(k), k));
    }
}
