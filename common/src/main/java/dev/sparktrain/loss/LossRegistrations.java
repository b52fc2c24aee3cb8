package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The table of losses by PyTorch functional name, with PyTorch's argument names and defaults. */
final class LossRegistrations {
    private static boolean done;

    private LossRegistrations() {
    }

    static synchronized void ensure() {
        if (done) {
            return;
        }
        done = true;
        Losses.register("mse", a -> new MSELoss(a.reduction()));
        Losses.register("l1", a -> new L1Loss(a.reduction()));
        Losses.register("smooth_l1", a -> new SmoothL1Loss(a.reduction(), a.number("beta", 1.0)));
        Losses.register("cross_entropy", a -> new CrossEntropyLoss(weight(a, "weight"),
                (long) a.number("ignore_index", -100), a.reduction(), a.number("label_smoothing", 0.0)));
        Losses.register("nll", a -> new NLLLoss(weight(a, "weight"), (long) a.number("ignore_index", -100),
                a.reduction()));
        Losses.register("bce", a -> new BCELoss(weight(a, "weight"), a.reduction()));
        Losses.register("bce_with_logits", a -> new BCEWithLogitsLoss(weight(a, "weight"), a.reduction(),
                weight(a, "pos_weight")));
        Losses.register("kl_div", a -> new KLDivLoss(a.reduction(), a.bool("log_target", false)));
        Losses.register("poisson_nll", a -> new PoissonNLLLoss(a.bool("log_input", true), a.bool("full", false),
                a.number("eps", 1e-8), a.reduction()));
        Losses.register("soft_margin", a -> new SoftMarginLoss(a.reduction()));
        Losses.register("multilabel_margin", a -> new MultiLabelMarginLoss(a.reduction()));
        Losses.register("multi_margin", a -> new MultiMarginLoss((int) a.number("p", 1), a.number("margin", 1.0),
                weight(a, "weight"), a.reduction()));
        Losses.register("hinge_embedding", a -> new HingeEmbeddingLoss(a.number("margin", 1.0), a.reduction()));
        Losses.register("margin_ranking", a -> new MarginRankingLoss(a.number("margin", 0.0), a.reduction()));
        Losses.register("cosine_embedding", a -> new CosineEmbeddingLoss(a.number("margin", 0.0), a.reduction()));
        Losses.register("triplet_margin", a -> new TripletMarginLoss(a.number("margin", 1.0), a.number("p", 2.0),
                a.number("eps", 1e-6), a.bool("swap", false), a.reduction()));
        Losses.register("ctc", a -> new CTCLoss((int) a.number("blank", 0), a.reduction(),
                a.bool("zero_infinity", false)));
    }

    private static INDArray weight(LossArgs a, String key) {
        double[] w = a.numbers(key);
        return w == null ? null : Nd4j.createFromArray(w);
    }
}
