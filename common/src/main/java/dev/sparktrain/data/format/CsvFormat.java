package dev.sparktrain.data.format;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.DataFiles;
import dev.sparktrain.data.HadoopConf;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * {@code data.format = csv}: CSV or CSV.gz part files ({@code data.csv}: header, delimiter, feature and
 * label columns). The columns are resolved against the first file's header (or first row); every part
 * file must have the same header. The parts are Hadoop's input splits of the files, as Spark's
 * {@code textFile} makes them (block-sized pieces of plain files, whole compressed files), so one large
 * file is read by many tasks. A quoted field may not span lines.
 */
final class CsvFormat implements DataFormat {

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public Source open(DataConfig data, DataConfig.DataSource src, HadoopConf conf) {
        List<FileStatus> files = SourcePaths.files(src, conf.get());
        CsvLayout layout = null;
        for (Iterator<FileStatus> it = files.iterator(); layout == null && it.hasNext(); ) {
            layout = layout(it.next().getPath().toString(), data.csv(), conf);
        }
        if (layout == null) {
            throw new DataException("empty dataset: " + src.key() + ".path " + src.describePaths()
                    + " has no rows (" + files.size() + " empty file" + (files.size() == 1 ? "" : "s") + ")");
        }
        long bytes = files.stream().mapToLong(FileStatus::getLen).sum();
        return new CsvSource(src.describePaths(), splits(files, conf), layout, data.csv(), data.valueTarget(),
                data.classes(), bytes, conf);
    }

    /** The columns from the header or first row of {@code uri}, or null for an empty file. */
    private static CsvLayout layout(String uri, DataConfig.Csv csv, HadoopConf conf) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(csv.delimiter()).setTrim(true)
                .setIgnoreEmptyLines(true).build();
        try (Reader reader = new InputStreamReader(DataFiles.open(uri, conf.get(), 8192), StandardCharsets.UTF_8);
             CSVParser parser = format.parse(reader)) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                return null;
            }
            CSVRecord first = it.next();
            List<String> header = csv.header() ? first.toList() : null;
            return new CsvLayout(uri, header, first.size(), Columns.resolve(uri, csv, header, first.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataException("cannot read CSV " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Hadoop's input splits of the files (TextInputFormat: compressed files whole), in path order. */
    private static List<CsvSource.Part> splits(List<FileStatus> files, HadoopConf conf) {
        try {
            Job job = Job.getInstance(conf.get());
            FileInputFormat.setInputPaths(job, files.stream().map(FileStatus::getPath).toArray(Path[]::new));
            List<InputSplit> splits = new TextInputFormat().getSplits(job);
            List<CsvSource.Part> parts = new ArrayList<>(splits.size());
            for (InputSplit s : splits) {
                FileSplit f = (FileSplit) s; // FileInputFormat makes FileSplits
                parts.add(new CsvSource.Part(f.getPath().toString(), f.getStart(), f.getLength(), f.getLocations()));
            }
            parts.sort(Comparator.comparing(CsvSource.Part::uri).thenComparingLong(CsvSource.Part::start));
            return parts;
        } catch (IOException e) {
            throw new DataException("cannot split the CSV files " + files.get(0).getPath() + " ... ("
                    + files.size() + " files): " + e.getMessage(), e);
        }
    }

    /** The header (null without one) and width every part must have, and the resolved columns. */
    record CsvLayout(String firstFile, List<String> header, int width, Columns columns) implements java.io.Serializable {
    }
}
