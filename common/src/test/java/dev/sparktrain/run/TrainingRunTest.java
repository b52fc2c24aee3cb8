package dev.sparktrain.run;

import dev.sparktrain.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrainingRunTest {
    @Test
    void resumeComparesConfigsIgnoringEpochsAndResume() {
        String base = ConfigLoader.parse("", List.of()).renderJson();
        String moreEpochs = ConfigLoader.parse("", List.of("train.epochs=9", "train.resume=true")).renderJson();
        String otherLr = ConfigLoader.parse("", List.of("optimizer.lr=0.5", "train.workers=3")).renderJson();
        assertEquals(List.of(), Resumption.changedKeys(base, moreEpochs));
        assertEquals(List.of("optimizer.lr", "train.workers"), Resumption.changedKeys(base, otherLr));
    }
}
