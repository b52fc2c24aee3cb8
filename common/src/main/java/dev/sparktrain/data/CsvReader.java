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
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(csv.delimiter()).setIgnoreEmptyLines(true)
                .setTrim(true).build();
        try (Reader reader = new InputStreamReader(DataFiles.open(uri), StandardCharsets.UTF_8);
             CSVParser parser = format.parse(reader)) {
            List<String> header = null;
            List<float[]> rows = new ArrayList<>();
            List<Float> labels = new ArrayList<>();
            Columns cols = null;
            int width = -1;
            for (CSVRecord rec : parser) {
                long line = parser.getCurrentLineNumber();
                if (csv.header() && header == null) {
                    header = rec.toList();
                    width = header.size();
                    cols = Columns.resolve(uri, csv, header, width);
                    continue;
                }
                if (width < 0) {
                    width = rec.size();
                    cols = Columns.resolve(uri, csv, null, width);
                }
                if (rec.size() != width) {
                    throw new DataException(uri + ":" + line + ": " + rec.size() + " fields, expected " + width
                            + (csv.header() ? " (as the header)" : " (as the first row)"));
                }
                float[] f = new float[cols.features().length];
                for (int k = 0; k < f.length; k++) {
                    f[k] = number(uri, line, cols.features()[k], rec.get(cols.features()[k]));
                }
                float label = number(uri, line, cols.label(), rec.get(cols.label()));
                if (!valueTarget) {
                    checkClass(uri, line, cols.label(), label, rec.get(cols.label()), classes);
                }
                rows.add(f);
                labels.add(label);
                if (limit > 0 && rows.size() == limit) {
                    break;
                }
            }
            if (rows.isEmpty()) {
                throw new DataException("empty dataset: " + uri + " has no data rows");
            }
            return pack(rows, labels, valueTarget);
        } catch (IOException | java.io.UncheckedIOException e) {
            Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
            String what = cause instanceof java.io.EOFException ? "truncated (the compressed stream ends early): "
                    : "";
            throw new DataException("cannot read CSV " + uri + ": " + what + cause.getMessage(), e);
        }
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

    private static float number(String uri, long line, int col, String field) {
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

    private static void checkClass(String uri, long line, int col, float label, String field, int classes) {
        if (label != Math.rint(label) || label < 0 || label >= classes) {
            throw new DataException(uri + ":" + line + ":" + (col + 1) + ": label '" + field + "' is outside [0, "
                    + classes + ") (data.classes = " + classes + "; data.target = value for numeric targets)");
        }
    }

    private static ArrayDataset pack(List<float[]> rows, List<Float> labels, boolean valueTarget) {
        int n = rows.size();
        int dim = rows.get(0).length;
        float[] f = new float[n * dim];
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i), 0, f, i * dim, dim);
            ids[i] = i;
        }
        if (valueTarget) {
            float[] t = new float[n];
            for (int i = 0; i < n; i++) {
                t[i] = labels.get(i);
            }
            return ArrayDataset.valued(f, t, 1, ids, 1, 1, dim);
        }
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = (int) (float) labels.get(i);
        }
        return new ArrayDataset(f, l, ids, 1, 1, dim);
    }
}
