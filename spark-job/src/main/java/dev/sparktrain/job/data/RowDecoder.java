package dev.sparktrain.job.data;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.ImageDecoder;
import dev.sparktrain.data.ImageRef;
import dev.sparktrain.data.Record;
import dev.sparktrain.data.RowIds;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

import java.io.Serializable;
import java.util.List;

/**
 * Table rows {@code (features, label, file)} to records of the configured image size: a features array
 * of channels x height x width numbers, or encoded image bytes (kept encoded, decoded per minibatch, for
 * class labels); the label a class in [0, classes) or a target value. Errors name the file the row was
 * read from (or the source), the column and the value found.
 */
final class RowDecoder implements Serializable {
    private static final long serialVersionUID = 2L;
    private final String source;
    private final boolean imageBytes;
    private final String featuresColumn;
    private final String labelColumn;
    private final DataConfig data;
    private final int[] shape;

    /** Checks the column types against what the decoder reads; examples of {@code shape} ({c, h, w}). */
    RowDecoder(String source, StructField features, StructField label, DataConfig data, int[] shape) {
        DataType ft = features.dataType();
        boolean numericArray = ft instanceof ArrayType a && a.elementType() instanceof NumericType;
        if (!numericArray && !(ft instanceof BinaryType)) {
            throw new DataException(source + ": column '" + features.name() + "' is " + ft.simpleString()
                    + ", expected array<float> (or another numeric array) or binary image bytes (data.table.features-column)");
        }
        if (!(label.dataType() instanceof NumericType)) {
            throw new DataException(source + ": label column '" + label.name() + "' is " + label.dataType().simpleString()
                    + ", expected a number (data.table.label-column)");
        }
        this.source = source;
        this.imageBytes = ft instanceof BinaryType;
        this.featuresColumn = features.name();
        this.labelColumn = label.name();
        this.data = data;
        this.shape = shape.clone();
    }

    /** A row (features, label, file name) as a record. */
    Record decode(Row row) {
        String file = row.size() > 2 && !row.isNullAt(2) && !row.getString(2).isEmpty() ? row.getString(2) : source;
        double label = label(row, file);
        if (imageBytes) {
            byte[] bytes = bytes(row, file);
            if (!data.valueTarget()) {
                return new ImageRef(file + " (a row with " + labelColumn + " = " + row.get(1) + ")", bytes,
                        (int) label, RowIds.of(bytes, (int) label));
            }
            float[] f = ImageDecoder.decode(bytes, file, shape[0], shape[1], shape[2]);
            return Example.valued(f, new float[]{(float) label});
        }
        float[] f = features(row, file);
        return data.valueTarget() ? Example.valued(f, new float[]{(float) label}) : Example.classified(f, (int) label);
    }

    private byte[] bytes(Row row, String file) {
        if (row.isNullAt(0)) {
            throw new DataException(file + ": column '" + featuresColumn + "' is null in a row with " + labelColumn
                    + " = " + row.get(1));
        }
        return (byte[]) row.get(0);
    }

    private float[] features(Row row, String file) {
        int dim = shape[0] * shape[1] * shape[2];
        if (row.isNullAt(0)) {
            throw new DataException(file + ": column '" + featuresColumn + "' is null in a row with " + labelColumn
                    + " = " + row.get(1) + " (a missing or malformed value)");
        }
        List<Object> values = row.getList(0);
        if (values.size() != dim) {
            throw new DataException(file + ": column '" + featuresColumn + "' holds " + values.size()
                    + " values in a row, expected " + shape[0] + "x" + shape[1] + "x" + shape[2]
                    + " = " + dim + " (data.image)");
        }
        float[] f = new float[dim];
        for (int k = 0; k < dim; k++) {
            Object v = values.get(k);
            if (v == null) {
                throw new DataException(file + ": column '" + featuresColumn + "' value " + k + " is null");
            }
            f[k] = ((Number) v).floatValue();
            if (!Float.isFinite(f[k])) {
                throw new DataException(file + ": column '" + featuresColumn + "' value " + k + " is " + v
                        + ", not a finite number");
            }
        }
        return f;
    }

    private double label(Row row, String file) {
        if (row.isNullAt(1)) {
            throw new DataException(file + ": column '" + labelColumn + "' (the label) is null in a row");
        }
        double v = ((Number) row.get(1)).doubleValue();
        if (!data.valueTarget() && (v != Math.rint(v) || v < 0 || v >= data.classes())) {
            throw new DataException(file + ": label " + row.get(1) + " (column '" + labelColumn + "') is outside [0, "
                    + data.classes() + ") (data.classes = " + data.classes() + "; data.target = value for numeric "
                    + "targets)");
        }
        if (!Double.isFinite(v)) {
            throw new DataException(file + ": label " + row.get(1) + " (column '" + labelColumn + "') is not a finite number");
        }
        return v;
    }
}
