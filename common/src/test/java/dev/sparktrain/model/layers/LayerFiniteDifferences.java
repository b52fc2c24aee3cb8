package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Central differences on one layer in double precision: for L(x, θ) = sum(layer(x) * R) with a fixed
 * random R, the layer's backward pass given R must equal (L(+h) - L(-h)) / 2h for every input element
 * (dL/dx, where a 2x bug shows) and every parameter element. Reports the largest relative error
 * |analytic - numeric| / max(|analytic|, |numeric|), skipping pairs where both are below 1e-9.
 */
final class LayerFiniteDifferences {
    static final double H = 1e-6;

    /** The worst relative error and where it was, plus the number of entries compared. */
    record Result(double maxRelError, String worst, int compared) {
    }

    private LayerFiniteDifferences() {
    }

    static Result check(Layer layer, INDArray x, long seed) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        INDArray out = layer.activate(x.dup(), true, ws);
        Nd4j.getRandom().setSeed(seed);
        INDArray r = Nd4j.randn(out.dataType(), out.shape());
        layer.activate(x.dup(), true, ws);
        Pair<Gradient, INDArray> back = layer.backpropGradient(r.dup(), ws);
        INDArray dx = back.getSecond().dup('c');
        Map<String, INDArray> dParams = new LinkedHashMap<>();
        back.getFirst().gradientForVariable().forEach((k, v) -> dParams.put(k, v.dup('c')));

        double[] worst = {0};
        String[] where = {"none"};
        int[] compared = {0};
        INDArray xFlat = x.dup('c');
        for (long i = 0; i < xFlat.length(); i++) {
            double keep = xFlat.getDouble(i);
            xFlat.putScalar(i, keep + H);
            double plus = loss(layer, xFlat, r);
            xFlat.putScalar(i, keep - H);
            double minus = loss(layer, xFlat, r);
            xFlat.putScalar(i, keep);
            record(dx.getDouble(i), (plus - minus) / (2 * H), "input[" + i + "]", worst, where, compared);
        }
        for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
            INDArray param = p.getValue();
            INDArray grad = dParams.get(p.getKey());
            for (long i = 0; i < param.length(); i++) {
                double keep = param.getDouble(i);
                param.putScalar(i, keep + H);
                double plus = loss(layer, x, r);
                param.putScalar(i, keep - H);
                double minus = loss(layer, x, r);
                param.putScalar(i, keep);
                record(grad.getDouble(i), (plus - minus) / (2 * H), p.getKey() + "[" + i + "]", worst, where, compared);
            }
        }
        return new Result(worst[0], where[0], compared[0]);
    }

    private static void record(double analytic, double numeric, String what, double[] worst, String[] where,
                               int[] compared) {
        compared[0]++;
        double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
        if (scale < 1e-9) {
            return;
        }
        double rel = Math.abs(analytic - numeric) / scale;
        if (rel > worst[0]) {
            worst[0] = rel;
            where[0] = what + ": analytic " + analytic + ", numeric " + numeric;
        }
    }

    private static double loss(Layer layer, INDArray x, INDArray r) {
        return layer.activate(x.dup(), true, LayerWorkspaceMgr.noWorkspaces()).mul(r).sumNumber().doubleValue();
    }
}
