package dev.sparktrain.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code log_softmax} over the last dimension of [N, C] activations, as an output-layer activation
 * (DL4J 1.0.0-M2.1 has none): for NLLLoss and KLDivLoss, which take log-probabilities. Computed as
 * {@code x - max - log(sum(exp(x - max)))} for stability; backprop {@code g - softmax(x) * sum(g)}.
 */
public final class LogSoftmaxActivation extends BaseActivationFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        INDArray shifted = in.subColumnVector(in.max(1).reshape(in.size(0), 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(1), false).reshape(in.size(0), 1);
        return in.assign(shifted.subiColumnVector(logSum));
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        INDArray softmax = Transforms.exp(getActivation(in.dup(), true), false);
        INDArray sum = epsilon.sum(1).reshape(in.size(0), 1);
        INDArray grad = epsilon.sub(softmax.muliColumnVector(sum));
        return new Pair<>(in.assign(grad), null);
    }

    @Override
    public String toString() {
        return "logsoftmax";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogSoftmaxActivation;
    }

    @Override
    public int hashCode() {
        return LogSoftmaxActivation.class.hashCode();
    }
}
