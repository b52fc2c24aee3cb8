package dev.sparktrain.job.data;

import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.Record;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * DL4J {@code DataSet}s (minibatches, the input of DL4J's Spark module) as rows: each example's
 * features flattened in C order, its label the class of a one-hot label row (or, with
 * {@code data.target = value}, the label row's values as targets). Errors name the minibatch's
 * example and what its labels hold.
 */
final class DataSetRows {
    private DataSetRows() {
    }

    /** {channels, height, width} of a DataSet's examples: [n, f] is 1x1xf, [n, c, h, w] is cxhxw. */
    static int[] shape(DataSet first) {
        long[] s = first.getFeatures().shape();
        return switch (s.length) {
            case 2 -> new int[]{1, 1, (int) s[1]};
            case 3 -> new int[]{1, (int) s[1], (int) s[2]};
            case 4 -> new int[]{(int) s[1], (int) s[2], (int) s[3]};
            default -> throw new DataException("DataSet features of shape " + Arrays.toString(s)
                    + ": expected [n, features], [n, h, w] or [n, channels, h, w]");
        };
    }

    static Iterator<Record> rows(Iterator<DataSet> batches, int classes, boolean valueTarget) {
        List<Record> out = new ArrayList<>();
        return new Iterator<>() {
            private Iterator<Record> current = out.iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && batches.hasNext()) {
                    current = examples(batches.next(), classes, valueTarget).iterator();
                }
                return current.hasNext();
            }

            @Override
            public Record next() {
                hasNext();
                return current.next();
            }
        };
    }

    static List<Record> examples(DataSet batch, int classes, boolean valueTarget) {
        INDArray f = batch.getFeatures();
        INDArray l = batch.getLabels();
        if (f == null || l == null) {
            throw new DataException("a DataSet without " + (f == null ? "features" : "labels"));
        }
        long n = f.size(0);
        INDArray flat = f.reshape('c', n, f.length() / n).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        INDArray labels = l.reshape('c', n, l.length() / n).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        int width = (int) labels.size(1);
        if (!valueTarget && width != classes) {
            throw new DataException("DataSet labels have " + width + " columns, but data.classes = " + classes
                    + " (one-hot rows expected; data.target = value for value targets)");
        }
        List<Record> out = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            float[] x = flat.getRow(i).toFloatVector();
            float[] y = labels.getRow(i).toFloatVector();
            if (valueTarget) {
                out.add(Example.valued(x, y));
            } else {
                out.add(Example.classified(x, oneHot(y, i)));
            }
        }
        return out;
    }

    private static int oneHot(float[] y, int row) {
        int hot = -1;
        for (int c = 0; c < y.length; c++) {
            if (y[c] == 1f && hot < 0) {
                hot = c;
            } else if (y[c] != 0f) {
                hot = -2;
                break;
            }
        }
        if (hot < 0) {
            throw new DataException("DataSet example " + row + " of a minibatch: labels " + Arrays.toString(y)
                    + " are not one-hot (data.target = value trains on label values)");
        }
        return hot;
    }
}
