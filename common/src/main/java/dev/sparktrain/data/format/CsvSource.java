package dev.sparktrain.data.format;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.DataFiles;
import dev.sparktrain.data.Example;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.Record;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Listed CSV part files and their splits. Each split is read line by line with Hadoop's
 * {@link LineRecordReader} (which owns the lines that start inside the split); a line is parsed with
 * commons-csv (plain lines by splitting on the delimiter, the same result). Errors name
 * {@code file:line:column} (1-based physical lines, counted from the file's start also for splits
 * that start inside it), the value found and the expected header or width.
 */
final class CsvSource implements Source {
    private static final long serialVersionUID = 1L;
    private final String describe;
    private final List<Part> parts;
    private final CsvFormat.CsvLayout layout;
    private final DataConfig.Csv csv;
    private final boolean valueTarget;
    private final int classes;
    private final long bytes;
    private final HadoopConf conf;

    /** A split of a file: bytes [start, start + length) and the hosts holding them. */
    record Part(String uri, long start, long length, String[] hosts) implements java.io.Serializable {
    }

    CsvSource(String describe, List<Part> parts, CsvFormat.CsvLayout layout, DataConfig.Csv csv, boolean valueTarget,
              int classes, long bytes, HadoopConf conf) {
        this.describe = describe;
        this.parts = List.copyOf(parts);
        this.layout = layout;
        this.csv = csv;
        this.valueTarget = valueTarget;
        this.classes = classes;
        this.bytes = bytes;
        this.conf = conf;
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public int[] shape() {
        return new int[]{1, 1, layout.columns().features().length};
    }

    @Override
    public int targetSize() {
        return valueTarget ? 1 : 0;
    }

    @Override
    public int parts() {
        return parts.size();
    }

    @Override
    public String[] hosts(int part) {
        return parts.get(part).hosts().clone();
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public RecordReader read(int part) {
        return new Lines(parts.get(part));
    }

    /** Reads one split. */
    private final class Lines implements RecordReader {
        private final Part part;
        private final LineRecordReader lines = new LineRecordReader();
        private final Pattern split = Pattern.compile(Pattern.quote(String.valueOf(csv.delimiter())));
        private final CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(csv.delimiter()).setTrim(true).build();
        private long lineNumber; // of the current line, when the split starts at the file's start
        private boolean seenContent;
        private Example pending;
        private boolean done;

        Lines(Part part) {
            this.part = part;
            try {
                lines.initialize(new FileSplit(new Path(part.uri()), part.start(), part.length(), part.hosts()),
                        new TaskAttemptContextImpl(conf.get(), new TaskAttemptID()));
            } catch (java.io.FileNotFoundException e) {
                throw new DataException("data file not found: " + part.uri() + " (listed, then gone)", e);
            } catch (IOException e) {
                throw failure(e);
            }
        }

        @Override
        public boolean hasNext() {
            while (pending == null && !done) {
                String line;
                long offset;
                try {
                    if (!lines.nextKeyValue()) {
                        done = true;
                        close();
                        return false;
                    }
                    offset = lines.getCurrentKey().get();
                    line = lines.getCurrentValue().toString();
                } catch (IOException e) {
                    close();
                    throw failure(e);
                }
                lineNumber++;
                pending = parse(line, offset);
            }
            return pending != null;
        }

        @Override
        public Record next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Example e = pending;
            pending = null;
            return e;
        }

        /** The line's example, or null for a blank line or a header. */
        private Example parse(String line, long offset) {
            if (line.isBlank()) {
                return null;
            }
            List<String> fields = fields(line, offset);
            boolean firstOfFile = part.start() == 0 && firstContentLine();
            if (csv.header() && firstOfFile) {
                if (!fields.equals(layout.header())) {
                    throw new DataException(part.uri() + ": header " + fields + " differs from " + layout.header()
                            + " of " + layout.firstFile() + " (every part file must have the same columns)");
                }
                return null;
            }
            if (fields.size() != layout.width()) {
                throw new DataException(where(offset) + ": " + fields.size() + " fields, expected " + layout.width()
                        + " (as " + (csv.header() ? "the header" : "the first row") + " of " + layout.firstFile() + ")");
            }
            Columns cols = layout.columns();
            float[] f = new float[cols.features().length];
            for (int k = 0; k < f.length; k++) {
                f[k] = number(offset, cols.features()[k], fields.get(cols.features()[k]));
            }
            String labelField = fields.get(cols.label());
            float label = number(offset, cols.label(), labelField);
            if (valueTarget) {
                return Example.valued(f, new float[]{label});
            }
            if (label != Math.rint(label) || label < 0 || label >= classes) {
                throw new DataException(where(offset) + ":" + (cols.label() + 1) + ": label '" + labelField
                        + "' is outside [0, " + classes + ") (data.classes = " + classes
                        + "; data.target = value for numeric targets)");
            }
            return Example.classified(f, (int) label);
        }

        /** Whether this is the first non-blank line of the file (the header's place). */
        private boolean firstContentLine() {
            boolean first = !seenContent;
            seenContent = true;
            return first;
        }

        private List<String> fields(String line, long offset) {
            if (line.indexOf('"') < 0) {
                String[] raw = split.split(line, -1);
                List<String> out = new ArrayList<>(raw.length);
                for (String r : raw) {
                    out.add(r.trim());
                }
                return out;
            }
            try (CSVParser parser = CSVParser.parse(line, format)) {
                List<CSVRecord> records = parser.getRecords();
                if (records.size() != 1) {
                    throw new DataException(where(offset) + ": a quoted field spans lines (not supported)");
                }
                return records.get(0).toList();
            } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
                throw new DataException(where(offset) + ": cannot parse '" + line + "': " + e.getMessage(), e);
            }
        }

        private float number(long offset, int col, String field) {
            try {
                float v = Float.parseFloat(field);
                if (Float.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new DataException(where(offset) + ":" + (col + 1) + ": '" + field + "' is not a finite number");
        }

        /** {@code file:line} of the line at byte {@code offset}. */
        private String where(long offset) {
            long line = part.start() == 0 ? lineNumber : 1 + newlinesBefore(offset);
            return part.uri() + ":" + line;
        }

        /** Counts the line breaks in the file before {@code offset}: on the error path only. */
        private long newlinesBefore(long offset) {
            Path path = new Path(part.uri());
            try (InputStream in = DataFiles.fs(path, conf.get()).open(path)) {
                byte[] buf = new byte[1 << 16];
                long count = 0;
                long left = offset;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            count++;
                        }
                    }
                    left -= n;
                }
                return count;
            } catch (IOException e) {
                return -1;
            }
        }

        private DataException failure(IOException e) {
            String what = e instanceof EOFException || String.valueOf(e.getMessage()).contains("end of")
                    ? "truncated (the compressed stream ends early): " : "";
            return new DataException("cannot read CSV " + part.uri() + ": " + what + e.getMessage(), e);
        }

        @Override
        public void close() {
            try {
                lines.close();
            } catch (IOException e) {
                // reading is over; nothing was written through it
            }
        }
    }
}
