package dev.sparktrain.loss;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every loss of PyTorch's basics (plus BCEWithLogitsLoss and NLLLoss) by its functional name. */
class LossRegistryTest {
    @Test
    void allSeventeenLossesAreAvailableWithTheirPyTorchClassNamesAndArities() {
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("bce", "BCELoss"), Map.entry("bce_with_logits", "BCEWithLogitsLoss"),
                Map.entry("cross_entropy", "CrossEntropyLoss"), Map.entry("nll", "NLLLoss"),
                Map.entry("l1", "L1Loss"), Map.entry("mse", "MSELoss"), Map.entry("smooth_l1", "SmoothL1Loss"),
                Map.entry("poisson_nll", "PoissonNLLLoss"), Map.entry("kl_div", "KLDivLoss"),
                Map.entry("margin_ranking", "MarginRankingLoss"), Map.entry("multilabel_margin", "MultiLabelMarginLoss"),
                Map.entry("soft_margin", "SoftMarginLoss"), Map.entry("multi_margin", "MultiMarginLoss"),
                Map.entry("triplet_margin", "TripletMarginLoss"), Map.entry("hinge_embedding", "HingeEmbeddingLoss"),
                Map.entry("cosine_embedding", "CosineEmbeddingLoss"), Map.entry("ctc", "CTCLoss")));
        assertEquals(expected.keySet(), Losses.names());
        Map<String, Integer> arity = Map.of("margin_ranking", 2, "cosine_embedding", 2, "triplet_margin", 3, "ctc", 3);
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Loss loss = Losses.create(e.getKey(), Map.of());
            assertEquals(e.getValue(), loss.name(), e.getKey());
            assertEquals(arity.getOrDefault(e.getKey(), 1), loss.arity(), e.getKey());
            assertEquals(Reduction.MEAN, loss.reduction(), e.getKey() + " defaults to mean");
        }
        assertEquals(Reduction.SUM, Losses.create("MSE", Map.of("reduction", "sum")).reduction());
    }
}
