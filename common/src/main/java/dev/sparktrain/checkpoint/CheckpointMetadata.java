package dev.sparktrain.checkpoint;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sparktrain.train.EpochMetrics;

import java.util.List;
import java.util.Map;

/** The {@code metadata.json} of a checkpoint. Readers branch on {@code formatVersion}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CheckpointMetadata(int formatVersion, int epoch, long globalStep, long seed, long optimizerStep,
                                 List<String> optimizerBuffers, String dl4jVersion, String createdAt,
                                 Map<String, String> sha256, List<EpochMetrics> history) {
    public static final int FORMAT_VERSION = 1;
}
