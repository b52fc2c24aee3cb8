package dev.sparktrain.job.data;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.ImageDecoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import scala.Tuple2;

import java.io.Serializable;
import java.util.List;

/**
 * Table rows {@code (features, label)} to a shard of examples of the configured image size: a features
 * array of channels x height x width numbers, or encoded image bytes (kept encoded and decoded per
 * minibatch for class labels); the label a class
 * in [0, classes) or a target value. Errors name the table, the row and the value found.
 */
final class RowDecoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final boolean imageBytes;
    private final String featuresColumn;
    private final DataConfig data;

    RowDecoder(String table, StructField features, StructField label, DataConfig data) {
        DataType ft = features.dataType();
        boolean numericArray = ft instanceof ArrayType a && a.elementType() instanceof NumericType;
        if (!numericArray && !(ft instanceof BinaryType)) {
            throw new DataException(table + ": column '" + features.name() + "' is " + ft.simpleString()
                    + ", expected array<float> (or another numeric array) or binary image bytes");
        }
        if (!(label.dataType() instanceof NumericType)) {
            throw new DataException(table + ": label column '" + label.name() + "' is " + label.dataType().simpleString()
                    + ", expected a number");
        }
        this.table = table;
        this.imageBytes = ft instanceof BinaryType;
        this.featuresColumn = features.name();
        this.data = data;
    }

    /**
     * The rows (position in the split part, (source row index, row)), sorted by position, of one shard:
     * decoded into memory, or, for image bytes with class labels, kept encoded and decoded per minibatch.
     */
    Dataset shard(List<Tuple2<Integer, Tuple2<Integer, Row>>> rows, int shard, int shards) {
        DataConfig.Image size = data.image();
        int dim = size.channels() * size.height() * size.width();
        int n = rows.size();
        boolean encoded = keepsEncoded();
        float[] f = encoded ? null : new float[n * dim];
        byte[][] bytes = encoded ? new byte[n][] : null;
        int[] labels = new int[n];
        float[] targets = new float[n];
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            int j = rows.get(i)._1();
            int g = rows.get(i)._2()._1();
            Row row = rows.get(i)._2()._2();
            if (j != i * shards + shard) {
                throw new IllegalStateException("shard " + shard + " expected position " + (i * shards + shard)
                        + ", found " + j);
            }
            if (encoded) {
                bytes[i] = imageBytes(row, g);
            } else {
                System.arraycopy(features(row, g, dim), 0, f, i * dim, dim);
            }
            double label = label(row, g);
            labels[i] = (int) label;
            targets[i] = (float) label;
            ids[i] = g;
        }
        if (encoded) {
            return new EncodedImages(bytes, labels, ids, table, size);
        }
        return data.valueTarget()
                ? ArrayDataset.valued(f, targets, 1, ids, size.channels(), size.height(), size.width())
                : new ArrayDataset(f, labels, ids, size.channels(), size.height(), size.width());
    }

    /** Whether shards keep image bytes encoded (decoded per minibatch) rather than decoded features. */
    boolean keepsEncoded() {
        return imageBytes && !data.valueTarget();
    }

    int[] shape() {
        return new int[]{data.image().channels(), data.image().height(), data.image().width()};
    }

    /** Target values per example; 0 = class labels. */
    int targetSize() {
        return data.valueTarget() ? 1 : 0;
    }

    /** Row {@code g} (its index in the source) decoded, as {@link #shard} holds it. */
    Example example(int g, Row row) {
        DataConfig.Image size = data.image();
        float[] f = features(row, g, size.channels() * size.height() * size.width());
        double label = label(row, g);
        return data.valueTarget() ? Example.valued(f, new float[]{(float) label}, g)
                : Example.classified(f, (int) label, g);
    }

    private byte[] imageBytes(Row row, int j) {
        if (row.isNullAt(0)) {
            throw new DataException(table + ": row " + j + ": column '" + featuresColumn + "' is null");
        }
        return (byte[]) row.get(0);
    }

    /** Row {@code j} (its index in the source) as {@code dim} features. */
    private float[] features(Row row, int j, int dim) {
        DataConfig.Image size = data.image();
        if (row.isNullAt(0)) {
            throw new DataException(table + ": row " + j + ": column '" + featuresColumn + "' is null");
        }
        if (imageBytes) {
            return ImageDecoder.decode((byte[]) row.get(0), table + " row " + j, size.channels(), size.height(),
                    size.width());
        }
        List<Object> values = row.getList(0);
        if (values.size() != dim) {
            throw new DataException(table + ": row " + j + ": " + values.size() + " feature values, expected "
                    + size.channels() + "x" + size.height() + "x" + size.width() + " = " + dim + " (data.image)");
        }
        float[] f = new float[dim];
        for (int k = 0; k < dim; k++) {
            Object v = values.get(k);
            if (v == null) {
                throw new DataException(table + ": row " + j + ": feature value " + k + " is null");
            }
            f[k] = ((Number) v).floatValue();
        }
        return f;
    }

    private double label(Row row, int j) {
        if (row.isNullAt(1)) {
            throw new DataException(table + ": row " + j + ": the label is null");
        }
        double v = ((Number) row.get(1)).doubleValue();
        if (!data.valueTarget() && (v != Math.rint(v) || v < 0 || v >= data.classes())) {
            throw new DataException(table + ": row " + j + ": label " + row.get(1) + " is outside [0, "
                    + data.classes() + ") (data.classes = " + data.classes() + "; data.target = value for numeric "
                    + "targets)");
        }
        return v;
    }
}
