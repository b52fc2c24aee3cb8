package dev.sparktrain.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * DL4J models as they are ({@code model.type = dl4j}): a {@code MultiLayerConfiguration} or
 * {@code ComputationGraphConfiguration}, from its JSON, a {@code model.zip}, or the Java API. Its
 * layers, initialization, precision and input preprocessors are kept; its updaters are replaced by
 * {@code NoOp} (DL4J only computes gradients here: sparktrain's optimizer steps the parameters, with
 * the configured {@code optimizer}), and the log says which updaters were dropped.
 */
public final class Dl4jModels {
    /** The model type of a DL4J configuration. */
    public static final String TYPE = "dl4j";
    private static final Logger LOG = LoggerFactory.getLogger(Dl4jModels.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Dl4jModels() {
    }

    /** The configuration JSON of {@code uri}: a DL4J JSON file, or a ModelSerializer zip (any Hadoop FS). */
    public static String read(String uri, Configuration hadoop) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("no DL4J configuration JSON or model.zip given");
        }
        try {
            if (uri.endsWith(".zip")) {
                try (InputStream in = open(uri, hadoop)) {
                    Object restored = restore(in);
                    return restored instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().toJson()
                            : ((ComputationGraph) restored).getConfiguration().toJson();
                }
            }
            try (InputStream in = open(uri, hadoop)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read a DL4J model from " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The parameters saved in a model.zip at {@code uri} (a flat vector), to start training from. */
    public static INDArray params(String uri, Configuration hadoop) {
        try (InputStream in = open(uri, hadoop)) {
            Object restored = restore(in);
            return restored instanceof MultiLayerNetwork m ? m.params().dup() : ((ComputationGraph) restored).params().dup();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the parameters of " + uri + ": " + e.getMessage(), e);
        }
    }

    /** A saved model: its parameters by name (the layout of its network) and the flat vector. */
    public record Saved(ParamLayout layout, INDArray params) {
    }

    /** The named parameters of the ModelSerializer zip at {@code uri} (any Hadoop FS). */
    public static Saved saved(String uri, Configuration hadoop) {
        try (InputStream in = open(uri, hadoop)) {
            Object restored = restore(in);
            return restored instanceof MultiLayerNetwork m ? new Saved(ParamLayout.of(m), m.params().dup())
                    : new Saved(ParamLayout.of((ComputationGraph) restored), ((ComputationGraph) restored).params().dup());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the model " + uri + ": " + e.getMessage(), e);
        }
    }

    private static Object restore(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new java.io.ByteArrayInputStream(bytes), false);
        } catch (Exception notLayers) {
            return ModelSerializer.restoreComputationGraph(new java.io.ByteArrayInputStream(bytes), false);
        }
    }

    private static InputStream open(String uri, Configuration hadoop) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(hadoop);
        return fs.open(p);
    }

    /** Whether the JSON is a ComputationGraphConfiguration (else a MultiLayerConfiguration). */
    static boolean isGraph(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root.has("vertices")) {
                return true;
            }
            if (root.has("confs")) {
                return false;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a DL4J configuration (JSON): " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("not a DL4J configuration: neither 'confs' (MultiLayerConfiguration) "
                + "nor 'vertices' (ComputationGraphConfiguration) in its JSON");
    }

    /** The JSON with every layer's updater replaced by NoOp; logs what was replaced. */
    static String prepare(String json) {
        TreeSet<String> dropped = new TreeSet<>();
        String out;
        if (isGraph(json)) {
            ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(json);
            for (GraphVertex v : conf.getVertices().values()) {
                if (v instanceof LayerVertex lv) {
                    noOp(lv.getLayerConf().getLayer(), dropped);
                }
            }
            out = conf.toJson();
        } else {
            MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(json);
            for (NeuralNetConfiguration c : conf.getConfs()) {
                noOp(c.getLayer(), dropped);
            }
            out = conf.toJson();
        }
        dropped.remove("NoOp");
        if (!dropped.isEmpty()) {
            LOG.info("the DL4J configuration's updaters {} are replaced: sparktrain's optimizer (the optimizer "
                    + "config) steps the parameters", dropped);
        }
        return out;
    }

    private static void noOp(Layer layer, TreeSet<String> dropped) {
        if (layer instanceof BaseLayer b) {
            describe(b.getIUpdater(), dropped);
            describe(b.getBiasUpdater(), dropped);
            b.setIUpdater(new NoOp());
            b.setBiasUpdater(new NoOp());
        }
    }

    private static void describe(IUpdater u, TreeSet<String> dropped) {
        if (u != null) {
            dropped.add(u.getClass().getSimpleName());
        }
    }

    /** float32 or float64, the configuration's own precision. */
    static String dtype(String json) {
        DataType t = isGraph(json) ? ComputationGraphConfiguration.fromJson(json).getDataType()
                : MultiLayerConfiguration.fromJson(json).getDataType();
        return t == DataType.DOUBLE ? "float64" : "float32";
    }

    /** The network of a prepared JSON, initialized by its own seed and weight init. */
    static Network build(String json) {
        if (isGraph(json)) {
            ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(json);
            ComputationGraph g = new ComputationGraph(conf);
            g.init();
            List<org.deeplearning4j.nn.conf.inputs.InputType> types = new ArrayList<>();
            for (int i = 0; i < conf.getNetworkInputs().size(); i++) {
                types.add(null); // DL4J does not keep them
            }
            return new Network.Graph(g, types, "DL4J ComputationGraph");
        }
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
        net.init();
        return new Network.Layers(net);
    }
}
