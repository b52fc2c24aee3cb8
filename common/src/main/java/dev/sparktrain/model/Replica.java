package dev.sparktrain.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One trainable copy of a network. It takes parameters as one flat vector, returns the SUM over a
 * minibatch of per-example loss gradients (DL4J's backprop sums over the minibatch; its updater
 * would divide by the size, and sparktrain does that on the driver over the global minibatch),
 * and evaluates loss and accuracy in eval mode. Not thread-safe: one replica per task thread.
 */
public final class Replica {
    static {
        NativeBackend.configure();
    }

    private final ModelSpec spec;
    private final MultiLayerNetwork net;
    private ParamLayout layout;

    public Replica(ModelSpec spec) {
        this.spec = spec;
        this.net = ModelFactory.build(spec);
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The named parameter tensors and where they lie in the flat vector. */
    public ParamLayout layout() {
        if (layout == null) {
            layout = ParamLayout.of(net);
        }
        return layout;
    }

    public long numParams() {
        return net.numParams();
    }

    /** A copy of the current flat parameters. */
    public INDArray params() {
        return net.params().dup();
    }

    public void setParams(INDArray flat) {
        if (flat.length() != net.numParams()) {
            throw new IllegalArgumentException("parameter vector has " + flat.length() + " elements, the "
                    + spec.type() + " model has " + net.numParams());
        }
        net.params().assign(flat);
    }

    /**
     * Sum of per-example gradients and of per-example losses at the current parameters, in training
     * mode (dropout active, batch norm on minibatch statistics). For buffers (running statistics) the
     * result holds this minibatch's moving-average delta times the example count, so that sums over
     * workers divided by the total count give the example-weighted mean delta.
     */
    public GradientSum gradientSum(DataSet batch) {
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        int n = batch.numExamples();
        INDArray grad = net.getFlattenedGradients().reshape(net.numParams()).dup(); // [1, n] -> [n], like params()
        for (ParamLayout.Segment b : layout().buffers()) {
            grad.get(NDArrayIndex.interval(b.offset(), b.offset() + b.length())).muli(n);
        }
        double lossSum = net.score() * n;
        net.clear();
        return new GradientSum(grad, lossSum, n);
    }

    /** Loss sum and number correct over a batch, forward only in eval mode. */
    public EvalSum evaluate(DataSet batch) {
        if (spec.loss() != null) {
            // the configured loss, as trained (eval mode); accuracy by the largest output
            INDArray out = net.output(batch.getFeatures(), false);
            double lossSum = net.score(batch, false) * batch.numExamples();
            long correct = Nd4j.argMax(out, 1).eq(Nd4j.argMax(batch.getLabels(), 1))
                    .castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
            return new EvalSum(lossSum, correct, batch.numExamples());
        }
        INDArray probs = net.output(batch.getFeatures(), false);
        INDArray labels = batch.getLabels();
        INDArray picked = probs.mul(labels).sum(1);
        // DL4J's MCXENT clips probabilities at 1e-10 before the log; the same here
        double lossSum = -Transforms.log(Transforms.max(picked, 1e-10), false).sumNumber().doubleValue();
        INDArray predicted = Nd4j.argMax(probs, 1);
        INDArray actual = Nd4j.argMax(labels, 1);
        long correct = predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        return new EvalSum(lossSum, correct, batch.numExamples());
    }

    /** Writes the network with the given parameters as a DL4J ModelSerializer zip (plain DL4J loads it). */
    public void writeModel(INDArray flatParams, OutputStream out) throws IOException {
        setParams(flatParams);
        ModelSerializer.writeModel(net, out, false);
    }

    /** Direct access for summaries and tests. */
    public MultiLayerNetwork network() {
        return net;
    }
}
