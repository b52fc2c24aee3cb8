package dev.sparktrain.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.zip.GZIPInputStream;

/**
 * Data files on any Hadoop FileSystem URI, through the caller's Hadoop configuration (the job's, with
 * its {@code spark.hadoop.*} settings): opening (gzip recognised by its magic bytes), listing, reading.
 */
public final class DataFiles {
    private DataFiles() {
    }

    public static FileSystem fs(Path path, Configuration conf) {
        try {
            return path.getFileSystem(conf);
        } catch (IOException e) {
            throw new DataException("cannot open the file system of " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a file with a read buffer of {@code bufferBytes}, unwrapping gzip when the first two bytes
     * say so; a missing file is a DataException naming it.
     */
    public static InputStream open(String uri, Configuration conf, int bufferBytes) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = fs(path, conf);
        InputStream raw;
        try {
            raw = new BufferedInputStream(fs.open(path, bufferBytes), bufferBytes);
        } catch (FileNotFoundException e) {
            throw new DataNotFoundException("data file not found: " + uri, e);
        }
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            raw = new BufferedInputStream(new GZIPInputStream(raw, bufferBytes), bufferBytes);
        }
        return raw;
    }

    /** The entries of a folder sorted by name; a missing folder or a file is a DataException. */
    public static FileStatus[] list(String uri, Configuration conf, String expected) {
        Path path = new Path(uri);
        FileSystem fs = fs(path, conf);
        try {
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new DataNotFoundException("data folder not found: " + uri, e);
            }
            if (!status.isDirectory()) {
                throw new DataException(uri + " is a file, expected a folder (" + expected + ")");
            }
            FileStatus[] entries = fs.listStatus(path);
            Arrays.sort(entries, Comparator.comparing(s -> s.getPath().getName()));
            return entries;
        } catch (IOException e) {
            throw new DataException("cannot list " + uri + ": " + e.getMessage(), e);
        }
    }

    /** All bytes of a (small) file, not unwrapped. */
    public static byte[] readAll(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        try (InputStream in = fs(path, conf).open(path)) {
            return in.readAllBytes();
        }
    }
}
