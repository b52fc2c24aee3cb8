package dev.sparktrain.eval;

import dev.sparktrain.loss.Dl4jLoss;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossFMeasure;
import org.nd4j.linalg.lossfunctions.impl.LossHinge;
import org.nd4j.linalg.lossfunctions.impl.LossKLD;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMAPE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossMSLE;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;
import org.nd4j.linalg.lossfunctions.impl.LossPoisson;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSquaredHinge;

import java.io.Serializable;
import java.util.Map;

/**
 * Reads a model's outputs as its loss means them, as DJL's {@code Accuracy} and
 * {@code BinaryAccuracy} do: the class with the largest output (multi-class, one-hot or index labels),
 * probability above 0.5 (binary with one output, per label for multi-label; a logit above 0), or the
 * value itself (regression). Labels are positive above {@code labelThreshold}: 0.5 for 0/1 labels, 0 for
 * the -1/+1 labels of soft margin and hinge losses.
 */
public record Evaluator(TargetKind kind, int outputs, OutputForm form, double labelThreshold)
        implements Serializable {

    public Evaluator {
        if (outputs < 1) {
            throw new IllegalArgumentException("a model has at least one output, found " + outputs);
        }
    }

    /** For a sparktrain loss ({@code loss.type} and PyTorch's arguments) and the model's output width. */
    public static Evaluator forLoss(String type, Map<String, ?> args, int outputs) {
        TargetKind yesNo = outputs == 1 ? TargetKind.BINARY : TargetKind.MULTILABEL;
        return switch (type) {
            case "cross_entropy", "multi_margin" -> new Evaluator(TargetKind.MULTICLASS, outputs, OutputForm.LOGITS, 0.5);
            case "nll", "kl_div" -> new Evaluator(TargetKind.MULTICLASS, outputs, OutputForm.LOG_PROBABILITIES, 0.5);
            case "bce" -> new Evaluator(yesNo, outputs, OutputForm.PROBABILITIES, 0.5);
            case "bce_with_logits" -> new Evaluator(yesNo, outputs, OutputForm.LOGITS, 0.5);
            case "soft_margin" -> new Evaluator(yesNo, outputs, OutputForm.LOGITS, 0);
            case "mse", "l1", "smooth_l1" -> new Evaluator(TargetKind.REGRESSION, outputs, OutputForm.VALUES, 0.5);
            case "poisson_nll" -> new Evaluator(TargetKind.REGRESSION, outputs,
                    Boolean.FALSE.equals(args.get("log_input")) ? OutputForm.VALUES : OutputForm.LOG_VALUES, 0.5);
            default -> new Evaluator(TargetKind.LOSS_ONLY, outputs, OutputForm.VALUES, 0.5);
        };
    }

    /**
     * For a DL4J output layer: its loss function, its activation (DL4J's output is the activation's)
     * and its width. A sparktrain loss inside DL4J ({@link Dl4jLoss}) is read as {@link #forLoss}.
     */
    public static Evaluator forDl4j(ILossFunction loss, IActivation activation, int outputs) {
        if (loss instanceof Dl4jLoss d) {
            return forLoss(d.type(), d.args(), outputs);
        }
        boolean probabilities = activation instanceof ActivationSoftmax || activation instanceof ActivationSigmoid;
        OutputForm scores = probabilities ? OutputForm.PROBABILITIES : OutputForm.LOGITS;
        TargetKind yesNo = outputs == 1 ? TargetKind.BINARY : TargetKind.MULTILABEL;
        if (loss instanceof LossMCXENT || loss instanceof LossNegativeLogLikelihood || loss instanceof LossKLD
                || loss instanceof LossSparseMCXENT) {
            return new Evaluator(outputs == 1 ? TargetKind.BINARY : TargetKind.MULTICLASS, outputs, scores, 0.5);
        }
        if (loss instanceof LossBinaryXENT || loss instanceof LossFMeasure) {
            return new Evaluator(yesNo, outputs, scores, 0.5);
        }
        if (loss instanceof LossHinge || loss instanceof LossSquaredHinge) {
            return new Evaluator(yesNo, outputs, OutputForm.LOGITS, 0);
        }
        if (loss instanceof LossMSE || loss instanceof LossL2 || loss instanceof LossL1 || loss instanceof LossMAE
                || loss instanceof LossMSLE || loss instanceof LossMAPE || loss instanceof LossPoisson) {
            return new Evaluator(TargetKind.REGRESSION, outputs, OutputForm.VALUES, 0.5);
        }
        return new Evaluator(outputs == 1 ? TargetKind.REGRESSION : TargetKind.MULTICLASS, outputs, scores, 0.5);
    }

    /** For a DL4J output layer's configuration (an output or loss layer) and its width; see {@link #forDl4j}. */
    public static Evaluator forOutputLayer(Layer conf, int outputs) {
        if (conf instanceof BaseOutputLayer o) {
            return forDl4j(o.getLossFn(), o.getActivationFn(), outputs);
        }
        if (conf instanceof LossLayer l) {
            return forDl4j(l.getLossFn(), l.getActivationFn(), outputs);
        }
        throw new IllegalArgumentException("the network's output layer " + conf.getLayerName() + " is a "
                + conf.getClass().getSimpleName() + ", which has no loss");
    }

    /**
     * What the outputs say, row by row, as a new array: class probabilities (multi-class: they sum to
     * 1), the probability of each yes/no output (binary, multi-label), or the predicted values.
     */
    public INDArray scores(INDArray output) {
        double[][] rows = output.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < rows.length; i++) {
            rows[i] = scores(rows[i]);
        }
        return Nd4j.createFromArray(rows);
    }

    /** The same for one example's outputs; {@code output} is not changed. */
    public double[] scores(double[] output) {
        double[] s = output.clone();
        switch (form) {
            case PROBABILITIES, VALUES -> {
            }
            case LOG_PROBABILITIES, LOG_VALUES -> {
                for (int j = 0; j < s.length; j++) {
                    s[j] = Math.exp(s[j]);
                }
            }
            case LOGITS -> {
                if (kind == TargetKind.MULTICLASS) {
                    softmax(s);
                } else {
                    for (int j = 0; j < s.length; j++) {
                        s[j] = 1 / (1 + Math.exp(-s[j]));
                    }
                }
            }
        }
        return s;
    }

    /** In place, shifted by the largest value so that exp cannot overflow. */
    private static void softmax(double[] v) {
        double top = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            top = Math.max(top, x);
        }
        double sum = 0;
        for (int j = 0; j < v.length; j++) {
            v[j] = Math.exp(v[j] - top);
            sum += v[j];
        }
        for (int j = 0; j < v.length; j++) {
            v[j] /= sum;
        }
    }

    /** The sums of one batch: its outputs against its labels ([n, classes] one-hot, [n, 1] index or values). */
    public Evaluation evaluate(INDArray output, INDArray labels, double lossSum) {
        long n = output.size(0);
        if (labels.size(0) != n) {
            throw new IllegalArgumentException("the batch has " + n + " outputs but " + labels.size(0) + " labels");
        }
        double[][] s = output.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] y = labels.castTo(DataType.DOUBLE).reshape(n, labels.length() / Math.max(n, 1)).toDoubleMatrix();
        Evaluation.Builder b = Evaluation.builder(kind, outputs).loss(lossSum, n);
        for (int i = 0; i < n; i++) {
            s[i] = scores(s[i]);
            switch (kind) {
                case MULTICLASS -> b.classified(actualClass(y[i]), argMax(s[i]));
                case BINARY -> b.classified(y[i][0] > labelThreshold ? 1 : 0, s[i][0] > 0.5 ? 1 : 0);
                case MULTILABEL -> b.labelled(y[i], s[i], labelThreshold);
                case REGRESSION -> b.regressed(y[i], s[i]);
                case LOSS_ONLY -> { }
            }
        }
        return b.build();
    }

    /** The class of a one-hot (or probability) label row, or of an index label. */
    private int actualClass(double[] label) {
        if (label.length == 1 && outputs > 1) {
            return (int) label[0];
        }
        return argMax(label);
    }

    /** The predicted class: the largest score, the first of equal ones (as argmax does). */
    public static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
