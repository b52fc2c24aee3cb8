package dev.sparktrain.ml;

import dev.sparktrain.model.BuildInfo;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.spark.ml.linalg.Vector;

import java.io.Serializable;

/**
 * A fitted model's network: its DL4J model.zip bytes (what a saved model writes and what executors
 * restore, once per JVM: {@link NetworkCache}, keyed by their SHA-256), the number of features it takes
 * and how its output reads. The bytes are never changed.
 */
record FittedNetwork(byte[] zip, String sha256, int numFeatures, NetworkOutput output) implements Serializable {

    /** The network of {@code zip} for {@code numFeatures} inputs, checked by one forward pass on the driver. */
    static FittedNetwork of(byte[] zip, int numFeatures) {
        LoadedNetwork net = LoadedNetwork.restore(zip);
        double[][] probe;
        try {
            probe = net.output(new float[numFeatures], 1, numFeatures);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the model does not take " + numFeatures + " features: "
                    + ParamChecks.firstLine(e.getMessage()), e);
        }
        NetworkOutput output = new NetworkOutput(probe[0].length, net.evaluator(probe[0].length));
        String sha256 = DigestUtils.sha256Hex(zip);
        NetworkCache.offer(sha256, net);
        return new FittedNetwork(zip, sha256, numFeatures, output);
    }

    /** The network's output for one example (on the driver: {@code predict}, {@code predictRaw}). */
    double[] output(Vector features) {
        if (features.size() != numFeatures) {
            throw new IllegalArgumentException("the features hold " + features.size() + " values, the model takes "
                    + numFeatures + " (the number of features it was fit on)");
        }
        double[] d = features.toArray();
        float[] x = new float[d.length];
        for (int k = 0; k < d.length; k++) {
            x[k] = (float) d[k];
        }
        LoadedNetwork net = NetworkCache.borrow(sha256, () -> zip);
        try {
            return net.output(x, 1, numFeatures)[0];
        } finally {
            NetworkCache.giveBack(sha256, net);
        }
    }

    /** What a saved model's metadata records beside Spark's own fields. */
    String metadataJson() {
        return "{\"sparktrainFormat\":" + ModelFiles.FORMAT + ",\"sparktrainVersion\":\"" + BuildInfo.sparktrain()
                + "\",\"dl4jVersion\":\"" + BuildInfo.dl4j() + "\",\"numFeatures\":" + numFeatures
                + ",\"numOutputs\":" + output.width() + ",\"modelSha256\":\"" + sha256 + "\"}";
    }
}
