package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV or CSV.gz file (any Hadoop FileSystem URI) into an {@link ArrayDataset} of
 * {@code 1 x 1 x features} examples: chosen feature columns, and one label column holding a class
 * index in [0, classes) or a target value. Errors name {@code file:line:column} (1-based; lines
 * count physical lines, assuming no field spans lines).
 */
public final class CsvReader {
    private CsvReader() {
    }

    /** Reads the first {@code limit} data rows (0 = all); labels are classes, or target values. */
    public static ArrayDataset read(String uri, DataConfig.Csv csv, boolean valueTarget, int classes, int limit) {
        List<Example> rows = new ArrayList<>();
        try (CsvStream stream = new CsvStream(uri, csv, valueTarget, classes, limit)) {
            stream.forEachRemaining(rows::add);
        }
        if (rows.isEmpty()) {
            throw new DataException("empty dataset: " + uri + " has no data rows");
        }
        return pack(rows, valueTarget);
    }

    /** The number of feature columns, from the header or first row. */
    public static int featureCount(String uri, DataConfig.Csv csv) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(csv.delimiter()).setTrim(true).build();
        try (Reader reader = new InputStreamReader(DataFiles.open(uri), StandardCharsets.UTF_8);
             CSVParser parser = format.parse(reader)) {
            var it = parser.iterator();
            if (!it.hasNext()) {
                throw new DataException("empty dataset: " + uri + " has no rows");
            }
            CSVRecord first = it.next();
            return Columns.resolve(uri, csv, csv.header() ? first.toList() : null, first.size()).features().length;
        } catch (IOException e) {
            throw new DataException("cannot read CSV " + uri + ": " + e.getMessage(), e);
        }
    }

    static float number(String uri, long line, int col, String field) {
        try {
            float v = Float.parseFloat(field);
            if (Float.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DataException(uri + ":" + line + ":" + (col + 1) + ": '" + field + "' is not a finite number");
    }

    static void checkClass(String uri, long line, int col, float label, String field, int classes) {
        if (label != Math.rint(label) || label < 0 || label >= classes) {
            throw new DataException(uri + ":" + line + ":" + (col + 1) + ": label '" + field + "' is outside [0, "
                    + classes + ") (data.classes = " + classes + "; data.target = value for numeric targets)");
        }
    }

    private static ArrayDataset pack(List<Example> rows, boolean valueTarget) {
        int n = rows.size();
        int dim = rows.get(0).features().length;
        float[] f = new float[n * dim];
        int[] ids = new int[n];
        float[] t = new float[n];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            Example e = rows.get(i);
            System.arraycopy(e.features(), 0, f, i * dim, dim);
            ids[i] = i;
            if (valueTarget) {
                t[i] = e.target()[0];
            } else {
                l[i] = e.label();
            }
        }
        return valueTarget ? ArrayDataset.valued(f, t, 1, ids, 1, 1, dim) : new ArrayDataset(f, l, ids, 1, 1, dim);
    }
}
