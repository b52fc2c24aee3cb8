package dev.sparktrain.loss;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/** Shared checks, conversions and reductions of the multi-input losses (computation in double). */
final class PairLossSupport {
    private PairLossSupport() {
    }

    static Reduction checkReduction(String loss, Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException(loss + ": reduction must not be null");
        }
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException(loss + ": reduction batchmean is only valid for KLDivLoss "
                    + "(expected none, mean or sum)");
        }
        return reduction;
    }

    static void checkArity(String loss, List<INDArray> inputs, int arity) {
        if (inputs == null || inputs.size() != arity) {
            throw new IllegalArgumentException(loss + " takes " + arity + " tensor inputs but got "
                    + (inputs == null ? "null" : inputs.size()));
        }
        for (int i = 0; i < arity; i++) {
            if (inputs.get(i) == null) {
                throw new IllegalArgumentException(loss + ": input " + i + " is null");
            }
        }
    }

    static void checkFloating(String loss, String what, INDArray a) {
        DataType t = a.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException(loss + ": " + what + " must be float32 or float64 but is " + t);
        }
    }

    static String shape(INDArray a) {
        return Arrays.toString(a.shape());
    }

    static void checkSameShape(String loss, String nameA, INDArray a, String nameB, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(loss + ": " + nameA + " has shape " + shape(a) + " but " + nameB
                    + " has shape " + shape(b) + " (they must have the same shape)");
        }
    }

    /** Values of {@code a}, row-major, as doubles. */
    static double[] values(INDArray a) {
        if (a.length() == 0) {
            return new double[0];
        }
        return a.dup('c').castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    static INDArray create(double[] data, long[] shape, DataType type) {
        INDArray a = shape.length == 0
                ? Nd4j.scalar(DataType.DOUBLE, data[0])
                : Nd4j.createFromArray(data).reshape('c', shape);
        return a.castTo(type);
    }

    /** Checks that every value of target is 1 or -1; returns the values. */
    static double[] plusMinusOne(String loss, INDArray target) {
        double[] y = values(target);
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 1 && y[i] != -1) {
                throw new IllegalArgumentException(loss + ": target values must be 1 or -1 but target[" + i
                        + "] (flat index) is " + y[i]);
            }
        }
        return y;
    }

    /** Integer values of an index tensor (lengths, labels), checking they are whole numbers. */
    static long[] longs(String loss, String what, INDArray a) {
        double[] v = values(a);
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || Double.isInfinite(v[i])) {
                throw new IllegalArgumentException(loss + ": " + what + " must hold integers but " + what + "["
                        + i + "] is " + v[i]);
            }
            out[i] = (long) v[i];
        }
        return out;
    }

    /** The reduced value: the unreduced per-element losses for none, their mean or sum otherwise. */
    static INDArray reduce(double[] perElement, long[] unreducedShape, Reduction reduction, DataType type) {
        switch (reduction) {
            case NONE:
                return create(perElement, unreducedShape, type);
            case SUM:
            case MEAN: {
                double s = 0;
                for (double v : perElement) {
                    s += v;
                }
                if (reduction == Reduction.MEAN) {
                    s /= perElement.length;
                }
                return create(new double[]{s}, new long[0], type);
            }
            default:
                throw new IllegalArgumentException("unsupported reduction " + reduction);
        }
    }

    /** d(reduced)/d(element i): 1 for none and sum, 1/n for mean. */
    static double outputGradient(Reduction reduction, int n) {
        return reduction == Reduction.MEAN ? 1.0 / n : 1.0;
    }
}
