package dev.sparktrain.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * PyTorch's {@code nn.ParameterDict} layer: named matrices of equal rows, of which one, the choice,
 * is applied: {@code x.mm(params[choice])}. Every entry is a parameter ({@code params.<name>}, counted in
 * the summary, initialized N(0, 1) like {@code torch.randn} from the model seed); the unchosen ones get
 * zero gradient. The choice is set here (the config's {@code choice}) and can be changed per call on
 * the built network with {@link ParameterDictImpl#choose}. The tutorial's dict is
 * {@code linear1 4x4, linear2 4x1, linear3 4x2}.
 */
public class ParameterDictLayer extends MatrixParamLayer {
    /** Entry names: lower-case identifiers (they become parameter names; mean and var are batch-norm buffers). */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private String[] names;
    private long[][] shapes;
    private String choice;

    /** For JSON deserialization. */
    public ParameterDictLayer() {
    }

    public ParameterDictLayer(String layerName, List<String> names, List<long[]> shapes, String choice) {
        setLayerName(layerName);
        setNames(names.toArray(String[]::new));
        if (names.size() != shapes.size()) {
            throw new IllegalArgumentException(names.size() + " parameter dict names for " + shapes.size()
                    + " shapes");
        }
        setShapes(shapes.toArray(long[][]::new));
        indexOf(choice);
        setChoice(choice);
        setActivationFn(Activation.IDENTITY.getActivationFunction());
    }

    public String[] getNames() {
        return names;
    }

    public void setNames(String[] names) {
        if (names == null || names.length == 0) {
            throw new IllegalArgumentException("a parameter dict needs at least one entry, found none");
        }
        for (String n : names) {
            if (!NAME.matcher(n).matches() || n.equals("mean") || n.equals("var")) {
                throw new IllegalArgumentException("parameter dict entry name must be a lower-case identifier "
                        + "other than mean and var, found '" + n + "'");
            }
        }
        if (Arrays.stream(names).distinct().count() != names.length) {
            throw new IllegalArgumentException("parameter dict entry names repeat: " + Arrays.toString(names));
        }
        this.names = names.clone();
    }

    public long[][] getShapes() {
        return shapes;
    }

    /** The [rows, cols] of each entry, in the order of the names; all rows equal (they see the same input). */
    public void setShapes(long[][] shapes) {
        for (int i = 0; i < shapes.length; i++) {
            if (shapes[i].length != 2 || shapes[i][0] < 1 || shapes[i][1] < 1 || shapes[i][0] != shapes[0][0]) {
                throw new IllegalArgumentException("parameter dict entries must be [rows, cols] of positive sizes "
                        + "with the same rows (" + shapes[0][0] + "), found " + Arrays.toString(shapes[i]));
            }
        }
        this.shapes = Arrays.stream(shapes).map(long[]::clone).toArray(long[][]::new);
        setNIn(shapes[0][0]);
    }

    public String getChoice() {
        return choice;
    }

    /** Sets the entry applied by default; nOut is its columns. */
    public void setChoice(String choice) {
        this.choice = choice;
        if (names != null && shapes != null) {
            setNOut(shapes[indexOf(choice)][1]);
        }
    }

    /** The position of entry {@code name}; fails naming the entries if there is none. */
    public int indexOf(String name) {
        int i = Arrays.asList(names).indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("parameter dict has no entry '" + name + "'; entries: "
                    + Arrays.toString(names));
        }
        return i;
    }

    @Override
    public List<String> paramKeys() {
        List<String> keys = new ArrayList<>();
        for (String n : names) {
            keys.add("params." + n);
        }
        return keys;
    }

    @Override
    public long[] paramShape(int i) {
        return shapes[i];
    }

    @Override
    public String repr() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            entries.add(names[i] + ": " + shapes[i][0] + "x" + shapes[i][1]);
        }
        return "ParameterDict(" + String.join(", ", entries) + "; choice=" + choice + ")";
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return LayerWiring.wire(new ParameterDictImpl(conf, dataType), conf, listeners, index, paramsView, initializeParams,
                initializer());
    }
}
