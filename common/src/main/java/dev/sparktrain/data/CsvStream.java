package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The data rows of a CSV or CSV.gz file read one at a time as {@code 1 x 1 x features} examples (ids =
 * data row index), checked as {@link CsvReader} documents. {@link #count()} reads the file once more.
 */
final class CsvStream implements ExampleStream {
    private final String uri;
    private final DataConfig.Csv csv;
    private final boolean valueTarget;
    private final int classes;
    private final int limit;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private Columns cols;
    private int width = -1;
    private Example pending;
    private int yielded;
    private int count = -1;

    CsvStream(String uri, DataConfig.Csv csv, boolean valueTarget, int classes, int limit) {
        this.uri = uri;
        this.csv = csv;
        this.valueTarget = valueTarget;
        this.classes = classes;
        this.limit = limit;
        this.parser = open(uri, csv);
        this.records = parser.iterator();
    }

    private static CSVParser open(String uri, DataConfig.Csv csv) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(csv.delimiter()).setIgnoreEmptyLines(true)
                .setTrim(true).build();
        try {
            return format.parse(new InputStreamReader(DataFiles.open(uri), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw failure(uri, e);
        }
    }

    static DataException failure(String uri, Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        String what = cause instanceof EOFException ? "truncated (the compressed stream ends early): " : "";
        return new DataException("cannot read CSV " + uri + ": " + what + cause.getMessage(), e);
    }

    /** The number of feature columns (reads the header or first row if not read yet). */
    int features() {
        hasNext();
        if (cols == null) {
            throw new DataException("empty dataset: " + uri + " has no data rows");
        }
        return cols.features().length;
    }

    @Override
    public int count() {
        if (count < 0) {
            int n = 0;
            try (CsvStream again = new CsvStream(uri, csv, valueTarget, classes, limit)) {
                while (again.hasNext()) {
                    again.next();
                    n++;
                }
            }
            count = n;
        }
        return count;
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (limit > 0 && yielded == limit) {
            return false;
        }
        try {
            while (records.hasNext()) {
                CSVRecord rec = records.next();
                long line = parser.getCurrentLineNumber();
                if (width < 0) {
                    width = rec.size();
                    cols = Columns.resolve(uri, csv, csv.header() ? rec.toList() : null, width);
                    if (csv.header()) {
                        continue;
                    }
                }
                pending = example(rec, line);
                return true;
            }
            return false;
        } catch (UncheckedIOException e) {
            throw failure(uri, e);
        }
    }

    private Example example(CSVRecord rec, long line) {
        if (rec.size() != width) {
            throw new DataException(uri + ":" + line + ": " + rec.size() + " fields, expected " + width
                    + (csv.header() ? " (as the header)" : " (as the first row)"));
        }
        float[] f = new float[cols.features().length];
        for (int k = 0; k < f.length; k++) {
            f[k] = CsvReader.number(uri, line, cols.features()[k], rec.get(cols.features()[k]));
        }
        float label = CsvReader.number(uri, line, cols.label(), rec.get(cols.label()));
        if (valueTarget) {
            return Example.valued(f, new float[]{label}, yielded);
        }
        CsvReader.checkClass(uri, line, cols.label(), label, rec.get(cols.label()), classes);
        return Example.classified(f, (int) label, yielded);
    }

    @Override
    public Example next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Example e = pending;
        pending = null;
        yielded++;
        return e;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw failure(uri, e);
        }
    }
}
