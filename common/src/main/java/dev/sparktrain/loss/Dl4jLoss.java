package dev.sparktrain.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A single-input {@link Loss} as a DL4J {@link ILossFunction}, so it trains in an output layer
 * (use the identity activation for losses that take logits, such as cross_entropy).
 *
 * <p>Training objective: DL4J sums per-example losses and sparktrain divides by the global minibatch
 * size. The per-example loss here is the sum of the example's unreduced elements, divided by their
 * number when the configured reduction is {@code mean}: the objective is then exactly PyTorch's
 * {@code mean} for losses without class weights, and {@code batchmean} for KLDivLoss. With
 * {@code sum} it is PyTorch's sum divided by the batch size. Serialized as (type, args), so a
 * ModelSerializer zip restores it.
 */
public final class Dl4jLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    @JsonProperty("type")
    private String type;
    @JsonProperty("args")
    private Map<String, Object> args;
    @JsonIgnore
    private transient Loss unreduced;
    @JsonIgnore
    private transient boolean perElementMean;

    /** For Jackson. */
    public Dl4jLoss() {
    }

    public Dl4jLoss(String type, Map<String, Object> args) {
        this.type = type;
        this.args = new HashMap<>(args);
        loss(); // fail now on a bad spec
    }

    private Loss loss() {
        if (unreduced == null) {
            Map<String, Object> a = new HashMap<>(args);
            Reduction configured = a.containsKey("reduction") ? Reduction.parse(a.get("reduction").toString())
                    : Reduction.MEAN;
            a.put("reduction", "none");
            unreduced = Losses.create(type, a);
            if (unreduced.arity() != 1) {
                throw new IllegalArgumentException("loss " + type + " takes " + unreduced.arity()
                        + " inputs; an output layer gives one (use a multi-input model for it)");
            }
            perElementMean = configured == Reduction.MEAN;
        }
        return unreduced;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        INDArray value = loss().forward(out, target(labels, out)).value();
        long n = preOutput.size(0);
        INDArray perExample = value.reshape(n, value.length() / n).sum(1);
        if (perElementMean) {
            perExample.divi(value.length() / n);
        }
        if (mask != null) {
            perExample.muli(mask.reshape(n));
        }
        return perExample.reshape(n, 1);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        LossValue v = loss().forward(out, target(labels, out));
        INDArray dOut = v.gradients().get(0).dup();
        long n = preOutput.size(0);
        if (perElementMean) {
            dOut.divi(v.value().length() / n);
        }
        if (mask != null) {
            dOut.muliColumnVector(mask.reshape(n, 1).castTo(dOut.dataType()));
        }
        return activationFn.backprop(preOutput.dup(), dOut).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /**
     * Losses that take class indices (nll, multi_margin) also accept DL4J's one-hot labels [N, C],
     * and [N, 1] index columns; cross_entropy takes an [N, 1] index column (data.labels = index) as class
     * indices and [N, C] rows as class probabilities, as torch does; others get the labels as they are.
     */
    private INDArray target(INDArray labels, INDArray out) {
        if (type.equals("cross_entropy")) {
            boolean indexColumn = labels.rank() == 2 && labels.size(1) == 1 && out.size(1) > 1;
            return indexColumn ? labels.reshape(labels.size(0)) : labels;
        }
        boolean indices = type.equals("nll") || type.equals("multi_margin");
        if (!indices) {
            return labels;
        }
        if (labels.rank() == 2 && labels.size(1) == out.size(1) && out.size(1) > 1) {
            return org.nd4j.linalg.factory.Nd4j.argMax(labels, 1).castTo(out.dataType()).reshape(labels.size(0));
        }
        return labels.reshape(labels.size(0));
    }

    /** The registered loss name, e.g. "bce_with_logits". */
    public String type() {
        return type;
    }

    /** PyTorch's arguments of the loss, as configured. */
    public Map<String, Object> args() {
        return Collections.unmodifiableMap(args);
    }

    @Override
    public String name() {
        return "Dl4jLoss(" + type + ")";
    }

    @Override
    public String toString() {
        return name() + args;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dl4jLoss d && d.type.equals(type) && d.args.equals(args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, args);
    }
}
