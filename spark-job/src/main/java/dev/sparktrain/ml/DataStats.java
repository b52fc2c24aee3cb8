package dev.sparktrain.ml;

import dev.sparktrain.data.DataException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Locale;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

/**
 * What one pass over the rows to fit tells before training: how many, the features' width (the same
 * in every row), and the labels' range, so that bad rows stop the fit with a message naming the
 * column and the value instead of failing a task. {@code nonInteger} is one label that is not a whole
 * number (null when there is none).
 */
record DataStats(String featuresCol, String labelCol, long rows, long nullFeatures, int minWidth, int maxWidth,
                 long badLabels, double minLabel, double maxLabel, Double nonInteger) {
    /** The most classes inferred from the labels without being set (a label of 10^6 is more likely a mistake). */
    static final int MAX_IMPLIED_CLASSES = 100_000;

    /** The statistics of {@code rows}: features an array column, labels a double column. */
    static DataStats of(Dataset<Row> rows, String featuresCol, String labelCol) {
        Column f = col(featuresCol);
        Column l = col(labelCol);
        Column width = when(f.isNotNull(), size(f));
        Row r = rows.agg(count(lit(1)), count(when(f.isNull(), 1)), min(width), max(width),
                count(when(l.isNull().or(isnan(l)).or(abs(l).equalTo(Double.POSITIVE_INFINITY)), 1)), min(l), max(l), min(when(l.notEqual(floor(l)), l))).first();
        return new DataStats(featuresCol, labelCol, r.getLong(0), r.getLong(1), r.isNullAt(2) ? 0 : r.getInt(2),
                r.isNullAt(3) ? 0 : r.getInt(3), r.getLong(4), r.isNullAt(5) ? 0 : r.getDouble(5),
                r.isNullAt(6) ? 0 : r.getDouble(6), r.isNullAt(7) ? null : r.getDouble(7));
    }

    /** The number of features in every row; errors for no rows, null features, rows of different widths. */
    int checkedWidth() {
        if (rows == 0) {
            throw new DataException("the DataFrame to fit has no rows");
        }
        if (nullFeatures > 0) {
            throw new DataException("featuresCol '" + featuresCol + "' is null in " + nullFeatures + " of " + rows + " rows");
        }
        if (minWidth != maxWidth) {
            throw new DataException("featuresCol '" + featuresCol + "' holds " + minWidth + " to " + maxWidth
                    + " values per row: every row needs the same number");
        }
        if (minWidth == 0) {
            throw new DataException("featuresCol '" + featuresCol + "' holds no values");
        }
        return minWidth;
    }

    /** Labels that are numbers: none null, NaN or infinite. */
    void checkValues() {
        if (badLabels > 0) {
            throw new DataException("labelCol '" + labelCol + "' is null, NaN or infinite in " + badLabels + " of " + rows
                    + " rows");
        }
    }

    /**
     * The number of classes, checked against the labels: {@code given} when positive, else the largest
     * label + 1 (at least 2); every label a whole number in [0, classes).
     */
    int classes(int given) {
        checkValues();
        String range = given > 0 ? "[0, " + given + ")" : "[0, classes)";
        if (nonInteger != null) {
            throw new DataException("labelCol '" + labelCol + "' holds " + nonInteger + ", not a class index (an integer "
                    + "in " + range + ")");
        }
        if (minLabel < 0) {
            throw new DataException("labelCol '" + labelCol + "' holds " + format(minLabel) + ", outside " + range);
        }
        if (given <= 0 && maxLabel >= MAX_IMPLIED_CLASSES) {
            throw new DataException("labelCol '" + labelCol + "' holds " + format(maxLabel) + ": more than "
                    + MAX_IMPLIED_CLASSES + " classes are not inferred from the labels; set classes");
        }
        int classes = given > 0 ? given : Math.max(2, (int) maxLabel + 1);
        if (maxLabel >= classes) {
            throw new DataException("labelCol '" + labelCol + "' holds " + format(maxLabel) + ", outside [0, " + classes
                    + ") (classes = " + classes + ")");
        }
        return classes;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
