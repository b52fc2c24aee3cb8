package dev.sparktrain.train;

import dev.sparktrain.loss.Loss;
import dev.sparktrain.loss.LossValue;

import dev.sparktrain.model.ParamLayout;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.Optimizers;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains a DL4J {@link MultiLayerNetwork} with one of sparktrain's {@link Loss}es computed outside the
 * network, the way a PyTorch loop does {@code loss = criterion(model(x1), model(x2), y); loss.backward();
 * opt.step()}: for multi-input losses (siamese / triplet: the SAME network applied to each input), for
 * sequence losses (CTC over per-frame outputs) and for multi-label losses.
 *
 * <p>The network must end in an ordinary layer (e.g. a {@code DenseLayer} with identity activation),
 * NOT an output layer: DL4J's output layers compute their gradient from their own loss and labels and
 * ignore an external epsilon, so {@link MultiLayerNetwork#backpropGradient} refuses them. One step:
 * <ol>
 *   <li>the inputs {@code x_1 .. x_k} (each [n_i, ...]) are stacked along the batch dimension into one
 *       batch {@code [x_1; ...; x_k]} and run forward once in training mode, keeping the layer inputs;</li>
 *   <li>the output is split back into {@code out_1 .. out_k} (rows in the same order) and handed to an
 *       {@link Objective} (for a plain loss: {@code loss.forward(List.of(out_1, .., out_k), target)});</li>
 *   <li>the objective's gradients with respect to each {@code out_i} are stacked in the same order and
 *       back-propagated once ({@code backpropGradient(epsilon)}), so a parameter shared by all towers
 *       receives the sum of its towers' contributions, as autograd gives;</li>
 *   <li>the optimizer steps the flat parameters with that gradient as is.</li>
 * </ol>
 * The optimizer expects the MEAN gradient; with a loss of reduction {@code mean} (the default) the
 * loss's gradient is already that of the batch mean, so no further division happens. With reduction
 * {@code sum} the step uses the gradient of the sum (the learning rate then scales with batch size), as
 * PyTorch would with {@code reduction='sum'}. The scalar returned is the loss value of the batch.
 *
 * <p>Regularization configured on the DL4J layers (l1/l2/weight decay) is not applied here; use the
 * optimizer's weight decay. Layers that behave differently in training (dropout, batch norm) see the
 * stacked batch, as a PyTorch model called once on {@code torch.cat([x1, x2])} would.
 */
public final class ExternalLossTrainer {

    /**
     * The loss as a function of the network outputs (one per input, in order): its value and, in
     * {@link LossValue#gradients()}, the gradient with respect to each output (same shapes).
     */
    @FunctionalInterface
    public interface Objective {
        LossValue evaluate(List<INDArray> outputs);
    }

    /** The loss value and the flat gradient (a copy, shaped [numParams]) at the current parameters. */
    public record Step(double loss, INDArray gradient) {
    }

    private final MultiLayerNetwork net;
    private final GroupedOptimizer optimizer;

    /**
     * @param net  an initialized network ending in a non-output layer
     * @param spec the optimizer (e.g. {@code OptimizerSpec.adam(1e-3, 0.9, 0.999, 1e-8, 0)}), built over
     *             {@code ParamLayout.of(net)}
     */
    public ExternalLossTrainer(MultiLayerNetwork net, OptimizerSpec spec) {
        if (net.getLayers() == null || net.getLayers().length == 0) {
            throw new IllegalArgumentException("the network is not initialized (call net.init())");
        }
        if (net.getOutputLayer() instanceof IOutputLayer) {
            throw new IllegalArgumentException("the network ends in an output layer ("
                    + net.getOutputLayer().getClass().getSimpleName() + "), which ignores an external gradient;"
                    + " end it in a DenseLayer (identity activation) or an ActivationLayer instead");
        }
        this.net = net;
        this.optimizer = Optimizers.create(spec, ParamLayout.of(net));
    }

    public MultiLayerNetwork network() {
        return net;
    }

    public GroupedOptimizer optimizer() {
        return optimizer;
    }

    /** An objective that applies {@code loss} to the outputs in order, with {@code target}. */
    public static Objective of(Loss loss, INDArray target) {
        return outputs -> loss.forward(outputs, target);
    }

    /** One training step with {@code loss(net(x_1), ..., net(x_k), target)}; returns the loss value. */
    public double step(List<INDArray> inputs, Loss loss, INDArray target) {
        return step(inputs, of(loss, target));
    }

    /** One training step with {@code loss(net(x), target)}; returns the loss value. */
    public double step(INDArray input, Loss loss, INDArray target) {
        return step(List.of(input), of(loss, target));
    }

    /** One training step with an arbitrary objective of the outputs; returns the loss value. */
    public double step(List<INDArray> inputs, Objective objective) {
        Step s = gradient(inputs, objective);
        INDArray flat = net.params().reshape(net.numParams()).dup();
        optimizer.step(flat, s.gradient());
        net.params().assign(flat.reshape(net.params().shape()));
        return s.loss();
    }

    /**
     * The loss and its gradient with respect to the flat parameters (in {@code net.params()} order) at
     * the current parameters, without stepping.
     */
    public Step gradient(List<INDArray> inputs, Objective objective) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs");
        }
        INDArray stacked = inputs.size() == 1 ? inputs.get(0) : Nd4j.concat(0, inputs.toArray(new INDArray[0]));
        net.setInput(stacked);
        List<INDArray> acts = net.feedForward(true, false);
        INDArray out = acts.get(acts.size() - 1);
        List<INDArray> outs = split(out, inputs);
        LossValue v = objective.evaluate(outs);
        double value = v.scalar();
        if (v.gradients().size() != outs.size()) {
            throw new IllegalArgumentException("the objective gave " + v.gradients().size()
                    + " gradients for " + outs.size() + " outputs");
        }
        List<INDArray> grads = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            INDArray g = v.gradients().get(i);
            if (g == null || !java.util.Arrays.equals(g.shape(), outs.get(i).shape())) {
                throw new IllegalArgumentException("gradient " + i + " has shape "
                        + (g == null ? "null" : java.util.Arrays.toString(g.shape())) + " but output " + i
                        + " has shape " + java.util.Arrays.toString(outs.get(i).shape()));
            }
            grads.add(g.castTo(out.dataType()));
        }
        INDArray eps = grads.size() == 1 ? grads.get(0).dup() : Nd4j.concat(0, grads.toArray(new INDArray[0]));
        net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces());
        INDArray grad = net.getFlattenedGradients().reshape(net.numParams()).dup();
        net.clear();
        return new Step(value, grad);
    }

    /** The objective's value at the current parameters (forward only, training-mode layers). */
    public double loss(List<INDArray> inputs, Objective objective) {
        INDArray stacked = inputs.size() == 1 ? inputs.get(0) : Nd4j.concat(0, inputs.toArray(new INDArray[0]));
        INDArray out = net.output(stacked, false);
        return objective.evaluate(split(out, inputs)).scalar();
    }

    /** The network's output for {@code x} in inference mode. */
    public INDArray output(INDArray x) {
        return net.output(x, false);
    }

    private static List<INDArray> split(INDArray out, List<INDArray> inputs) {
        List<INDArray> outs = new ArrayList<>();
        long row = 0;
        for (INDArray in : inputs) {
            long n = in.size(0);
            outs.add(inputs.size() == 1 ? out.dup()
                    : out.get(NDArrayIndex.interval(row, row + n), NDArrayIndex.all()).dup());
            row += n;
        }
        return outs;
    }
}
