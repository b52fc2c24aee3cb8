package dev.sparktrain.experiment;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.DataFiles;
import dev.sparktrain.data.format.SourcePaths;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What data a run saw: each file of its training and validation sources (path, length, modification
 * time), as the driver lists them, and the digest of the config that decides the model. Two runs with
 * equal fingerprints trained on the same bytes (unless a file was rewritten with its length and time)
 * with the same settings. {@code val} is null when the validation rows are split off the training data.
 */
public record DataFingerprint(Part train, Part val, String config) {

    /** One listed file. */
    public record FileEntry(String path, long length, long modified) {
    }

    /** The files of one source, sorted by path. */
    public record Part(List<FileEntry> files) {
        public Part {
            files = files.stream().sorted(Comparator.comparing(FileEntry::path)).toList();
        }

        public static Part of(List<FileStatus> statuses) {
            return new Part(statuses.stream().map(s -> new FileEntry(s.getPath().toString(), s.getLen(),
                    s.getModificationTime())).toList());
        }

        public long bytes() {
            return files.stream().mapToLong(FileEntry::length).sum();
        }

        /** SHA-256 of every entry, one "path TAB length TAB modified" line each. */
        public String sha256() {
            StringBuilder s = new StringBuilder();
            files.forEach(f -> s.append(f.path()).append('\t').append(f.length()).append('\t').append(f.modified())
                    .append('\n'));
            return DigestUtils.sha256Hex(s.toString());
        }

        PartSummary summary() {
            return new PartSummary(files.size(), bytes(), sha256());
        }
    }

    /** What run.json keeps of a part: the file count, their bytes and the listing's digest. */
    public record PartSummary(int files, long bytes, String sha256) {
    }

    /** What run.json keeps: both parts' summaries and the config digest; equal summaries = same data and config. */
    public record Summary(PartSummary train, PartSummary val, String config) {
    }

    public Summary summary() {
        return new Summary(train.summary(), val == null ? null : val.summary(), config);
    }

    /**
     * The fingerprint of the sources the config names that the driver can list itself (IDX files, and
     * the files under the paths of CSV, image folders and Spark SQL file sources); empty for a catalog
     * table, whose files only Spark can list.
     */
    public static Optional<DataFingerprint> ofSources(DataConfig data, String configDigest, Configuration hadoop) {
        if (data.format().equals(DataConfig.TABLE)) {
            return Optional.empty();
        }
        Part val = data.valFraction() > 0 ? null : Part.of(files(data, data.val(), hadoop));
        return Optional.of(new DataFingerprint(Part.of(files(data, data.train(), hadoop)), val, configDigest));
    }

    private static List<FileStatus> files(DataConfig data, DataConfig.DataSource src, Configuration hadoop) {
        if (!data.format().equals("idx")) {
            return SourcePaths.files(src, hadoop);
        }
        List<FileStatus> out = new ArrayList<>();
        for (String uri : List.of(src.images(), src.labels())) {
            Path p = new Path(uri);
            try {
                out.add(DataFiles.fs(p, hadoop).getFileStatus(p));
            } catch (IOException e) {
                throw new DataException(src.key() + ": cannot read " + uri + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
