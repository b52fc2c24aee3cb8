package dev.sparktrain.ml;

import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/**
 * What the estimators and models accept as columns, checked on the schema before any row is read:
 * features as a vector ({@code org.apache.spark.ml.linalg}) or an array of numbers, a numeric label.
 * Each error is one line naming the Param, the column and what it holds.
 */
final class FeaturesColumn {
    private FeaturesColumn() {
    }

    /** The features column's type: a vector or an array of numbers, else an error naming it. */
    static DataType check(StructType schema, String column) {
        DataType t = field(schema, column, "featuresCol").dataType();
        if (isVector(t) || t instanceof ArrayType a && a.elementType() instanceof NumericType) {
            return t;
        }
        throw new IllegalArgumentException("featuresCol '" + column + "' is " + t.simpleString()
                + ", expected a vector (org.apache.spark.ml.linalg.Vector, e.g. from VectorAssembler) or an array of numbers");
    }

    /** The label column is a number (Spark ML casts it to double). */
    static void checkLabel(StructType schema, String column) {
        DataType t = field(schema, column, "labelCol").dataType();
        if (!(t instanceof NumericType)) {
            throw new IllegalArgumentException("labelCol '" + column + "' is " + t.simpleString() + ", expected a number");
        }
    }

    /**
     * A model's check of a vector column whose size the schema knows (VectorAssembler and the scalers
     * record it): the same size the model was fit on. Arrays are checked row by row when scored.
     */
    static void checkSize(StructType schema, String column, int numFeatures) {
        int size = knownSize(schema, column);
        if (size >= 0 && size != numFeatures) {
            throw new IllegalArgumentException("featuresCol '" + column + "' holds vectors of " + size
                    + " values, the model takes " + numFeatures + " (the number of features it was fit on)");
        }
    }

    /** The vector size the column's ML attributes give; -1 for arrays and vectors without them. */
    static int knownSize(StructType schema, String column) {
        StructField f = schema.apply(column);
        return isVector(f.dataType()) ? AttributeGroup.fromStructField(f).size() : -1;
    }

    /** The column as an array of numbers, under its own name: a vector through {@code vector_to_array}. */
    static Column asArray(StructType schema, String column) {
        Column c = functions.col(column);
        return isVector(schema.apply(column).dataType())
                ? org.apache.spark.ml.functions.vector_to_array(c, "float32").as(column) : c;
    }

    static boolean isVector(DataType t) {
        return t.equals(SQLDataTypes.VectorType());
    }

    private static StructField field(StructType schema, String column, String param) {
        List<String> names = Arrays.asList(schema.fieldNames());
        if (!names.contains(column)) {
            throw new IllegalArgumentException(param + " '" + column + "': no such column; the columns are " + names);
        }
        return schema.apply(column);
    }
}
