package dev.sparktrain.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.security.AccessControlException;

import java.io.IOException;
import java.net.URI;

/**
 * The local file system under the scheme {@value #SCHEME}, known only to a configuration that names
 * it ({@link #configure}): a reader that used a fresh {@code new Configuration()} instead of the job's
 * cannot open its paths. Files whose name contains {@code unreadable} fail to open as a permission
 * error would; Hadoop's statistics for the scheme count the bytes read ({@link #bytesRead()}).
 * Shared with the spark-job tests through the test-jar.
 */
public final class TestFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "testfs";

    /** Registers the scheme in {@code conf}, without caching instances (each lookup reads {@code conf}). */
    public static Configuration configure(Configuration conf) {
        conf.set("fs." + SCHEME + ".impl", TestFileSystem.class.getName());
        conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
        return conf;
    }

    /** {@code testfs:///absolute/path} for a local path. */
    public static String uri(java.nio.file.Path local) {
        return SCHEME + "://" + local.toAbsolutePath();
    }

    /** Bytes read through this scheme in this JVM, by all threads. */
    public static long bytesRead() {
        return FileSystem.getStatistics(SCHEME, TestFileSystem.class).getBytesRead();
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        if (f.getName().contains("unreadable")) {
            throw new AccessControlException("Permission denied: user=test, access=READ, inode=" + f);
        }
        return super.open(f, bufferSize);
    }
}
