package dev.sparktrain.model;

import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.eval.Evaluator;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One trainable copy of a network. It takes parameters as one flat vector, returns the SUM over a
 * minibatch of per-example loss gradients (DL4J's backprop sums over the minibatch; its updater
 * would divide by the size, and sparktrain does that on the driver over the global minibatch),
 * and evaluates loss and accuracy in eval mode. The network is a MultiLayerNetwork or, for the
 * graph zoo and {@link GraphBuilder} models, a ComputationGraph; minibatches of a model with several
 * inputs are MultiDataSets (the Spark engine feeds DataSets, so it trains single-input models only).
 * Not thread-safe: one replica per task thread.
 */
public final class Replica {
    static {
        NativeBackend.configure();
    }

    private final ModelSpec spec;
    private final Network net;
    private ParamLayout layout;
    private List<ParamLayout.Segment> buffers; // layout().buffers(), kept: read at every minibatch
    private Evaluator evaluator;

    public Replica(ModelSpec spec) {
        this.spec = spec;
        this.net = Network.build(spec);
    }

    /** A replica of a model built with the Java API; it has no {@link #spec()}. */
    public Replica(GraphModel model) {
        this.spec = null;
        this.net = new Network.Graph(model);
    }

    /** The spec it was built from; null for a {@link GraphModel} from the Java API. */
    public ModelSpec spec() {
        return spec;
    }

    /** The named parameter tensors and where they lie in the flat vector. */
    public ParamLayout layout() {
        if (layout == null) {
            layout = ParamLayout.of(net);
            buffers = layout.buffers();
        }
        return layout;
    }

    public long numParams() {
        return net.params().length();
    }

    /** A copy of the current flat parameters. */
    public INDArray params() {
        return net.params().dup();
    }

    public void setParams(INDArray flat) {
        if (flat.length() != numParams()) {
            throw new IllegalArgumentException("parameter vector has " + flat.length() + " elements, the "
                    + name() + " model has " + numParams());
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
        return gradientSum(new org.nd4j.linalg.dataset.MultiDataSet(batch.getFeatures(), batch.getLabels()));
    }

    /** The same for a model with several inputs (features in the order of the model's inputs). */
    public GradientSum gradientSum(MultiDataSet batch) {
        double score = net.computeGradientAndScore(batch.getFeatures(), batch.getLabels());
        long n = batch.getFeatures(0).size(0);
        INDArray grad = net.gradient().reshape(numParams()).dup(); // [1, n] -> [n], like params()
        layout();
        for (ParamLayout.Segment b : buffers) {
            grad.get(NDArrayIndex.interval(b.offset(), b.offset() + b.length())).muli(n);
        }
        double lossSum = score * n;
        net.clear();
        return new GradientSum(grad, lossSum, n);
    }

    /** The loss and the sums of {@link #evaluator()} over a batch, forward only in eval mode. */
    public Evaluation evaluate(DataSet batch) {
        return evaluate(new org.nd4j.linalg.dataset.MultiDataSet(batch.getFeatures(), batch.getLabels()));
    }

    /** The same for a model with several inputs; the loss and figures are those of the (single) output. */
    public Evaluation evaluate(MultiDataSet batch) {
        INDArray out = net.output(batch.getFeatures());
        INDArray labels = batch.getLabels(0);
        long n = labels.size(0);
        double lossSum;
        if (net.softmaxCrossEntropy()) {
            INDArray picked = out.mul(labels).sum(1);
            // DL4J's MCXENT clips probabilities at 1e-10 before the log; the same here
            lossSum = -Transforms.log(Transforms.max(picked, 1e-10), false).sumNumber().doubleValue();
        } else {
            lossSum = net.score(batch) * n; // the configured loss, as trained (eval mode)
        }
        return evaluator((int) out.size(1)).evaluate(out, labels, lossSum);
    }

    /** How this model's outputs are read: its target kind, chosen by the output layer's loss and width. */
    public Evaluator evaluator() {
        long outputs = net.outputLayer().conf().getLayer() instanceof FeedForwardLayer f ? f.getNOut() : 0;
        return evaluator(outputs > 0 ? (int) outputs : spec != null ? spec.classes() : 1);
    }

    private Evaluator evaluator(int outputs) {
        if (evaluator == null || evaluator.outputs() != outputs) {
            evaluator = net.evaluator(outputs);
        }
        return evaluator;
    }

    /** The network's output for a batch of features, forward only in eval mode. */
    public INDArray output(INDArray features) {
        return net.output(new INDArray[]{features});
    }

    /** Writes the network with the given parameters as a DL4J ModelSerializer zip (plain DL4J loads it). */
    public void writeModel(INDArray flatParams, OutputStream out) throws IOException {
        setParams(flatParams);
        net.write(out);
    }

    /** Direct access for summaries and tests; for a graph model, use {@link #graph()}. */
    public MultiLayerNetwork network() {
        if (net instanceof Network.Layers l) {
            return l.net();
        }
        throw new IllegalStateException("the " + name() + " model is a ComputationGraph: use graph()");
    }

    /** The ComputationGraph of a graph model; for a sequential model, use {@link #network()}. */
    public ComputationGraph graph() {
        if (net instanceof Network.Graph g) {
            return g.graph();
        }
        throw new IllegalStateException("the " + name() + " model is a MultiLayerNetwork: use network()");
    }

    Network net() {
        return net;
    }

    private String name() {
        return spec != null ? spec.type() : ((Network.Graph) net).title();
    }
}
