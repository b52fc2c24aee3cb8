package dev.sparktrain.optim;

/** The table of optimizers, by torch.optim's class names in lower case. */
final class AlgorithmRegistrations {
    private static boolean done;

    private AlgorithmRegistrations() {
    }

    static synchronized void ensure() {
        if (done) {
            return;
        }
        done = true;
        Algorithms.register(new SgdRule());
        Algorithms.register(new AdamRule());
        Algorithms.register(new AdamWRule());
        Algorithms.register(new RmspropRule());
        Algorithms.register(new AdagradRule());
        Algorithms.register(new NAdamRule());
        Algorithms.register(new RAdamRule());
    }
}
