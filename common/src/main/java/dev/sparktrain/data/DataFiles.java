package dev.sparktrain.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.zip.GZIPInputStream;

/** Data files on any Hadoop FileSystem URI: opening (gzip recognised by its magic bytes) and listing. */
public final class DataFiles {
    private DataFiles() {
    }

    /** One Hadoop configuration per JVM: building one parses Hadoop's XML defaults (milliseconds, per image). */
    private static final class Hadoop {
        static final Configuration CONF = new Configuration();
    }

    private static FileSystem fs(Path path) throws IOException {
        return path.getFileSystem(Hadoop.CONF);
    }

    /** Opens a file, unwrapping gzip when the first two bytes say so; a missing file is a DataException. */
    public static InputStream open(String uri) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = fs(path);
        if (!fs.exists(path)) {
            throw new DataException("data file not found: " + uri);
        }
        InputStream raw = new BufferedInputStream(fs.open(path), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }

    /** The entries of a folder sorted by name; a missing folder or a file is a DataException. */
    public static FileStatus[] list(String uri) {
        try {
            Path path = new Path(uri);
            FileSystem fs = fs(path);
            if (!fs.exists(path)) {
                throw new DataException("data folder not found: " + uri);
            }
            if (!fs.getFileStatus(path).isDirectory()) {
                throw new DataException(uri + " is a file, expected a folder (data.format = image-folder: "
                        + "root/<class>/<image>)");
            }
            FileStatus[] entries = fs.listStatus(path);
            Arrays.sort(entries, Comparator.comparing(s -> s.getPath().getName()));
            return entries;
        } catch (IOException e) {
            throw new DataException("cannot list " + uri + ": " + e.getMessage(), e);
        }
    }

    /** All bytes of a (small) file, not unwrapped. */
    public static byte[] readAll(String uri) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = fs(path);
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }
}
