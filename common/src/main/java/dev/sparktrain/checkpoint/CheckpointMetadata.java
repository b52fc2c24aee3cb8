package dev.sparktrain.checkpoint;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sparktrain.optim.StateDict.GroupState;
import dev.sparktrain.train.EpochMetrics;

import java.util.List;
import java.util.Map;

/**
 * The {@code metadata.json} of a checkpoint: format version, epoch, step, seed, the optimizer's
 * param groups (parameter names and hyper-parameters) and per-parameter step counts (its buffers are
 * in optimizer.bin), the scheduler's state dict, versions, checksums and the metrics history.
 * Readers branch on {@code formatVersion}: 2 writes each group's hyper-parameters under torch's names
 * ({@code weight_decay}, {@code betas}); 1 wrote every algorithm's fields under Java names, which
 * {@link dev.sparktrain.optim.HyperParams#of} reads and an optimizer narrows to its algorithm's.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CheckpointMetadata(int formatVersion, int epoch, long globalStep, long seed,
                                 List<GroupState> optimizerGroups, Map<String, Long> optimizerSteps,
                                 Map<String, Object> scheduler, String dl4jVersion, String createdAt,
                                 Map<String, String> sha256, List<EpochMetrics> history) {
    public static final int FORMAT_VERSION = 2;
}
