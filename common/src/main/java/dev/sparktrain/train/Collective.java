package dev.sparktrain.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The collective operations among the P workers of one run, each worker knowing its rank. Sums are
 * taken in rank order, so that results are the same bits for the same P, and equal to the driver
 * transport's sums in shard order. A flat vector of n elements is split into P contiguous windows,
 * rank r owning {@code [windowFrom(n, r, P), windowFrom(n, r + 1, P))}.
 */
public interface Collective {

    int rank();

    int size();

    /** The sum over the workers of {@code full} (the same length everywhere), this worker's window of it. */
    default INDArray reduceScatter(INDArray full) {
        return reduceScatter(full, new double[0]).window();
    }

    /**
     * {@link #reduceScatter(INDArray)}, with a few scalars of each worker carried in the same messages
     * (a round's example count): every worker gets every worker's {@code riders}, in rank order,
     * without a synchronization of its own.
     */
    Scattered reduceScatter(INDArray full, double[] riders);

    /** This worker's window of the sum, and every worker's riders in rank order. */
    record Scattered(INDArray window, double[][] riders) {
    }

    /** Every worker's {@code window} of a vector, written end to end into {@code into} (a vector of n elements). */
    void allGather(INDArray window, INDArray into);

    /** Every worker's {@code values} (a few scalars), in rank order. */
    double[][] allGather(double[] values);

    /** The first element of rank {@code rank}'s window of an n-element vector split {@code size} ways. */
    static long windowFrom(long n, int rank, int size) {
        return n * rank / size;
    }
}
