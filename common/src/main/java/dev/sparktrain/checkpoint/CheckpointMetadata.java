package dev.sparktrain.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sparktrain.optim.StateDict.GroupState;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.EpochPosition;

import java.util.List;
import java.util.Map;

/**
 * The {@code metadata.json} of a checkpoint: format version, epoch, step, seed, the optimizer's
 * param groups (parameter names and hyper-parameters) and per-parameter step counts (its buffers are
 * in optimizer.bin), the scheduler's state dict, versions, checksums and the metrics history.
 * Readers branch on {@code formatVersion}: 2 writes each group's hyper-parameters under torch's names
 * ({@code weight_decay}, {@code betas}); 1 wrote every algorithm's fields under Java names, which
 * {@link dev.sparktrain.optim.HyperParams#of} reads and an optimizer narrows to its algorithm's.
 * A checkpoint inside an epoch has format 3: {@code position} (steps done in epoch {@code epoch + 1},
 * and the epoch's loss sum, example count and training seconds so far), which a reader of format 2
 * must not take for an epoch's end; a checkpoint at an epoch's end is still written as format 2.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CheckpointMetadata(int formatVersion, int epoch, long globalStep, long seed,
                                 List<GroupState> optimizerGroups, Map<String, Long> optimizerSteps,
                                 Map<String, Object> scheduler, String dl4jVersion, String createdAt,
                                 Map<String, String> sha256, List<EpochMetrics> history,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) EpochPosition position) {
    /** The newest format this build reads and writes. */
    public static final int FORMAT_VERSION = 3;
    /** The format of a checkpoint at an epoch's end. */
    static final int EPOCH_END_FORMAT = 2;
}
