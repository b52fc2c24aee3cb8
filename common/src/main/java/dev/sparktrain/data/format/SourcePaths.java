package dev.sparktrain.data.format;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.DataNotFoundException;
import dev.sparktrain.data.DataFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source's paths as platforms store data: each a file, a folder of part files (read recursively,
 * skipping names that start with {@code _} or {@code .}, as Hadoop and Spark do: {@code _SUCCESS},
 * {@code .crc}), or a glob; the files of all of them, each once, in path order. Listing is O(files),
 * done on the driver; no file is opened.
 */
public final class SourcePaths {
    private SourcePaths() {
    }

    /** The data files under {@code src}'s paths; an empty result or a path that matches nothing is an error. */
    public static List<FileStatus> files(DataConfig.DataSource src, Configuration conf) {
        Map<Path, FileStatus> files = new LinkedHashMap<>();
        for (String pattern : src.paths()) {
            List<FileStatus> found = new ArrayList<>();
            for (FileStatus match : matches(pattern, src.key(), conf)) {
                collect(match, conf, found);
            }
            if (found.isEmpty()) {
                throw new DataException(src.key() + ".path: '" + pattern + "' holds no data files (only empty "
                        + "folders, or names starting with _ or .)");
            }
            found.forEach(f -> files.putIfAbsent(f.getPath(), f));
        }
        List<FileStatus> sorted = new ArrayList<>(files.values());
        sorted.sort(Comparator.comparing(f -> f.getPath().toString()));
        return sorted;
    }

    /** What one path or glob names: the matches of a glob, or the path itself; nothing is an error. */
    public static List<FileStatus> matches(String pattern, String key, Configuration conf) {
        Path path = new Path(pattern);
        FileSystem fs = DataFiles.fs(path, conf);
        boolean glob = pattern.matches(".*[*?\\[{].*");
        try {
            FileStatus[] matched = glob ? fs.globStatus(path, p -> !hidden(p)) : fs.globStatus(path);
            if (matched == null || matched.length == 0) {
                throw new DataNotFoundException(key + ".path: " + (glob ? "'" + pattern + "' matches no files"
                        : "data file or folder not found: " + pattern), null);
            }
            List<FileStatus> out = new ArrayList<>(List.of(matched));
            out.sort(Comparator.comparing(f -> f.getPath().toString()));
            return out;
        } catch (IOException e) {
            throw new DataException(key + ".path: cannot list " + pattern + ": " + e.getMessage(), e);
        }
    }

    private static void collect(FileStatus status, Configuration conf, List<FileStatus> out) {
        if (!status.isDirectory()) {
            out.add(status);
            return;
        }
        FileSystem fs = DataFiles.fs(status.getPath(), conf);
        FileStatus[] children;
        try {
            children = fs.listStatus(status.getPath(), p -> !hidden(p));
        } catch (FileNotFoundException e) {
            return; // removed while listing
        } catch (IOException e) {
            throw new DataException("cannot list " + status.getPath() + ": " + e.getMessage(), e);
        }
        java.util.Arrays.sort(children, Comparator.comparing(f -> f.getPath().getName()));
        for (FileStatus child : children) {
            collect(child, conf, out);
        }
    }

    /** Hadoop's and Spark's convention for files that are not data ({@code _SUCCESS}, {@code .part.crc}). */
    static boolean hidden(Path p) {
        String name = p.getName();
        return name.startsWith("_") || name.startsWith(".");
    }
}
