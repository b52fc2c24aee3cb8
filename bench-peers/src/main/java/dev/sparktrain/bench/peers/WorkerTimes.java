package dev.sparktrain.bench.peers;

import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingWorkerStats;
import org.deeplearning4j.spark.stats.EventStats;

import java.util.List;
import java.util.Locale;

/**
 * Reads DL4J's own PATM training stats: the workers' fit time per minibatch (the network's compute,
 * where the oneDNN repair shows) apart from the setup of a worker's network in every averaging round.
 */
final class WorkerTimes {
    private WorkerTimes() {
    }

    static String describe(String peer, int epoch, SparkTrainingStats stats) {
        List<EventStats> fits = stats.getValue(ParameterAveragingTrainingWorkerStats.PARAMETER_AVERAGING_WORKER_FIT_TIMES_MS);
        List<EventStats> inits = stats.getValue(ParameterAveragingTrainingWorkerStats.PARAMETER_AVERAGING_WORKER_INIT_TIME_MS);
        return String.format(Locale.ROOT, "STATS peer=%s epoch=%d minibatch_fits=%d fit_ms_median=%.1f worker_setups=%d"
                        + " setup_ms_median=%.1f", peer, epoch, size(fits), median(fits), size(inits), median(inits));
    }

    private static int size(List<EventStats> events) {
        return events == null ? 0 : events.size();
    }

    private static double median(List<EventStats> events) {
        if (events == null || events.isEmpty()) {
            return Double.NaN;
        }
        long[] ms = events.stream().mapToLong(EventStats::getDurationMs).sorted().toArray();
        int n = ms.length;
        return n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2.0;
    }
}
