package dev.sparktrain.loss;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * Shared machinery of the single-input losses ({@code loss(input, target)}): argument checks,
 * reductions and class-index checks; {@link ClassIndexLossSupport} adds CrossEntropyLoss's and
 * NLLLoss's common computation.
 *
 * <p>Every loss reads its input and target as doubles, evaluates PyTorch's formula and its analytic
 * input gradient in double precision, and returns value and gradient cast to the input's dtype
 * (float32 or float64). For float32 input this is at least as accurate as PyTorch's float32 kernels.
 */
abstract class SingleLossSupport implements Loss {
    private final String name;
    protected final Reduction reduction;

    SingleLossSupport(String name, Reduction reduction, boolean batchmeanAllowed) {
        if (reduction == null) {
            throw new IllegalArgumentException(name + ": reduction must not be null");
        }
        if (reduction == Reduction.BATCHMEAN && !batchmeanAllowed) {
            throw new IllegalArgumentException("batchmean is not a valid value for reduction of " + name
                    + " (expected none, mean or sum)");
        }
        this.name = name;
        this.reduction = reduction;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int arity() {
        return 1;
    }

    @Override
    public final Reduction reduction() {
        return reduction;
    }

    @Override
    public final LossValue forward(List<INDArray> inputs, INDArray target) {
        if (inputs == null || inputs.size() != 1) {
            throw new IllegalArgumentException(name + " takes 1 input and a target, got "
                    + (inputs == null ? "null" : inputs.size() + " inputs"));
        }
        INDArray input = inputs.get(0);
        if (input == null) {
            throw new IllegalArgumentException(name + ": input must not be null");
        }
        if (target == null) {
            throw new IllegalArgumentException(name + ": target must not be null");
        }
        DataType dt = input.dataType();
        if (dt != DataType.FLOAT && dt != DataType.DOUBLE) {
            throw new IllegalArgumentException(name + ": input must be float32 or float64, got " + dt);
        }
        return compute(input, target);
    }

    /** The loss for checked arguments (input is float32 or float64, neither is null). */
    protected abstract LossValue compute(INDArray input, INDArray target);

    // ---------------------------------------------------------------- helpers

    /** All values, row-major, as doubles (a fresh array). */
    static double[] values(INDArray a) {
        if (a.length() == 0) {
            return new double[0];
        }
        return a.dup('c').castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    static String shapeOf(INDArray a) {
        return Arrays.toString(a.shape());
    }

    static long product(long[] shape, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** A fresh array of {@code shape} (rank 0 allowed) holding {@code v}, in dtype {@code dt}. */
    static INDArray array(double[] v, long[] shape, DataType dt) {
        INDArray a = shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.createFromArray(v).reshape('c', shape);
        return a.castTo(dt);
    }

    static INDArray scalar(double v, DataType dt) {
        return Nd4j.scalar(v).castTo(dt);
    }

    void requireSameShape(INDArray input, INDArray target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(name + ": input shape " + shapeOf(input) + " and target shape "
                    + shapeOf(target) + " differ");
        }
    }

    /** One element's loss and its derivative w.r.t. the input, written at {@code i}. */
    interface Pointwise {
        void apply(double x, double y, double[] loss, double[] grad, int i);
    }

    /** A loss of same-shaped input and target evaluated element by element, then reduced. */
    LossValue pointwise(INDArray input, INDArray target, Pointwise f) {
        requireSameShape(input, target);
        double[] x = values(input);
        double[] y = values(target);
        double[] loss = new double[x.length];
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            f.apply(x[i], y[i], loss, grad, i);
        }
        return reduceElementwise(loss, grad, input.shape(), input.dataType());
    }

    /**
     * Reduces an elementwise loss: {@code loss[i]} and {@code dLoss[i]/dInput[i]} per element of an input
     * of {@code shape}. None keeps the shape, sum adds, mean divides by the element count, batchmean by
     * {@code shape[0]} (1 for a scalar).
     */
    LossValue reduceElementwise(double[] loss, double[] grad, long[] shape, DataType dt) {
        double scale;
        switch (reduction) {
            case NONE:
                return new LossValue(array(loss, shape, dt), List.of(array(grad, shape, dt)));
            case SUM:
                scale = 1;
                break;
            case MEAN:
                scale = 1.0 / loss.length;
                break;
            case BATCHMEAN:
                scale = 1.0 / (shape.length == 0 ? 1 : shape[0]);
                break;
            default:
                throw new IllegalStateException(String.valueOf(reduction));
        }
        double sum = 0;
        for (double l : loss) {
            sum += l;
        }
        double[] g = new double[grad.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = grad[i] * scale;
        }
        return new LossValue(scalar(sum * scale, dt), List.of(array(g, shape, dt)));
    }

    /** Reduces per-sample losses of shape {@code outShape} with PyTorch's plain mean (count of samples). */
    LossValue reducePerSample(double[] loss, double[] grad, long[] outShape, long[] inputShape, DataType dt) {
        double scale = reduction == Reduction.MEAN ? 1.0 / loss.length : 1;
        return reduceWithDenominator(loss, grad, outShape, inputShape, dt, scale);
    }

    /** Value of none/sum/mean where the mean multiplies the sum by {@code meanScale}; grad is of the sum. */
    LossValue reduceWithDenominator(double[] loss, double[] grad, long[] outShape, long[] inputShape,
                                    DataType dt, double meanScale) {
        if (reduction == Reduction.NONE) {
            return new LossValue(array(loss, outShape, dt), List.of(array(grad, inputShape, dt)));
        }
        double scale = reduction == Reduction.MEAN ? meanScale : 1;
        double sum = 0;
        for (double l : loss) {
            sum += l;
        }
        double[] g = new double[grad.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = grad[i] * scale;
        }
        return new LossValue(scalar(sum * scale, dt), List.of(array(g, inputShape, dt)));
    }

    /**
     * {@code a}'s values broadcast (NumPy rules, aligned at the last dimension) to {@code shape}; errors name
     * both shapes and {@code what} the array is.
     */
    double[] broadcastTo(INDArray a, long[] shape, String what) {
        long[] s = a.shape();
        int r = shape.length;
        boolean ok = s.length <= r;
        for (int k = 0; ok && k < s.length; k++) {
            long d = s[s.length - 1 - k];
            ok = d == 1 || d == shape[r - 1 - k];
        }
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + what + " shape " + Arrays.toString(s)
                    + " cannot be broadcast to input shape " + Arrays.toString(shape));
        }
        double[] v = values(a);
        long[] strides = new long[r];
        long st = 1;
        for (int k = s.length - 1; k >= 0; k--) {
            strides[r - s.length + k] = s[k] == 1 ? 0 : st;
            st *= s[k];
        }
        int n = (int) product(shape, 0, r);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long rest = i;
            long idx = 0;
            for (int d = r - 1; d >= 0; d--) {
                long m = rest % shape[d];
                rest /= shape[d];
                idx += m * strides[d];
            }
            out[i] = v[(int) idx];
        }
        return out;
    }

    /** A class-weight vector of length {@code classes}, or all ones when {@code weight} is null. */
    double[] classWeights(INDArray weight, long classes) {
        if (weight == null) {
            double[] w = new double[(int) classes];
            Arrays.fill(w, 1);
            return w;
        }
        if (weight.rank() != 1 || weight.length() != classes) {
            throw new IllegalArgumentException(name + ": weight tensor should be defined either for all " + classes
                    + " classes or no classes but got weight tensor of shape " + shapeOf(weight));
        }
        return values(weight);
    }

    /** Target values as integers; non-integers throw. */
    int[] integerTargets(double[] t) {
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            if (t[i] != Math.rint(t[i]) || Double.isInfinite(t[i])) {
                throw new IllegalArgumentException(name + ": target must hold class indices (integers), got "
                        + t[i] + " at position " + i);
            }
            out[i] = (int) t[i];
        }
        return out;
    }

    /** Checks each class index is in [0, classes) unless it equals {@code ignoreIndex}. */
    void checkClassRange(int[] t, long classes, long ignoreIndex, boolean hasIgnore) {
        for (int i = 0; i < t.length; i++) {
            if (hasIgnore && t[i] == ignoreIndex) {
                continue;
            }
            if (t[i] < 0 || t[i] >= classes) {
                throw new IllegalArgumentException(name + ": Target " + t[i] + " is out of bounds for " + classes
                        + " classes (at target position " + i + "; valid: 0.." + (classes - 1)
                        + (hasIgnore ? " or ignore_index " + ignoreIndex : "") + ")");
            }
        }
    }

    static void requireFinitePositive(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a non-negative finite number, got " + v);
        }
    }
}
