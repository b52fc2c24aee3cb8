package dev.sparktrain.experiment;

import java.util.Locale;

/**
 * The promotion gate's decision: the metric, the new model's value and the production model's (both
 * evaluated on the same validation data in the same job; null without a production model), the
 * required margin, and whether production moved.
 */
public record Promotion(String metric, double candidate, String productionRun, Double production, double minDelta,
                        boolean forced, boolean promoted, String reason) {

    /**
     * Decides: promoted when there is no production model, when forced, or when {@code candidate} is
     * better than {@code production} by at least {@code minDelta} ({@code lowerIsBetter} for losses).
     * A candidate that is not a number is never promoted unless forced.
     */
    public static Promotion decide(String metric, boolean lowerIsBetter, double candidate, String productionRun,
                                   Double production, double minDelta, boolean forced) {
        String figures = String.format(Locale.ROOT, "%s %.4f", metric, candidate);
        if (forced) {
            return new Promotion(metric, candidate, productionRun, production, minDelta, true, true,
                    "forced (--force-promote): " + figures + vs(productionRun, production));
        }
        if (Double.isNaN(candidate)) {
            return new Promotion(metric, candidate, productionRun, production, minDelta, false, false,
                    figures + " is not a number");
        }
        if (production == null) {
            return new Promotion(metric, candidate, null, null, minDelta, false, true,
                    figures + ", and no production model yet");
        }
        double gain = lowerIsBetter ? production - candidate : candidate - production;
        boolean better = gain >= minDelta || Double.isNaN(production);
        return new Promotion(metric, candidate, productionRun, production, minDelta, false, better,
                figures + vs(productionRun, production) + (better ? "" : String.format(Locale.ROOT,
                        ": not better by at least promote.min-delta = %s", minDelta)));
    }

    /** A decision without figures: the production model could not be evaluated here. */
    public static Promotion notComparable(String metric, double candidate, String productionRun, double minDelta,
                                          boolean forced, String why) {
        return new Promotion(metric, candidate, productionRun, null, minDelta, forced, forced,
                (forced ? "forced (--force-promote); " : "") + why);
    }

    private static String vs(String productionRun, Double production) {
        return production == null ? "" : String.format(Locale.ROOT, " against %.4f of production run %s", production,
                productionRun);
    }
}
