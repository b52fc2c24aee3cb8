package dev.sparktrain.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.train.EpochMetrics;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/**
 * A checkpoint as a listing shows it, read from its {@code metadata.json} without loading its arrays: its
 * directory name and location, format version, epoch and global step (from the metadata, not the
 * name: mid-epoch checkpoints are named {@code epoch-NNNNNN-step-NNNNNNNNN}), for a mid-epoch one the
 * steps done in the epoch it is inside ({@code epoch + 1}; 0 at an epoch's end), creation time, the
 * metrics of its last finished epoch (null before the first) and its size on disk. Any format version
 * reads: fields this build does not know are skipped.
 */
public record CheckpointSummary(String name, String location, int formatVersion, int epoch, long globalStep,
                                String createdAt, EpochMetrics last, long bytes, int stepsIntoEpoch) {

    /** "3" after epoch 3; "4 at step 12" inside epoch 4. */
    public String epochText() {
        return stepsIntoEpoch == 0 ? Integer.toString(epoch) : (epoch + 1) + " at step " + stepsIntoEpoch;
    }
    static final ObjectMapper LENIENT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The summary of checkpoint directory {@code uri} (any Hadoop URI); an unreadable one is an error naming it. */
    public static CheckpointSummary read(String uri, Configuration hadoop) {
        Path dir = new Path(uri);
        try {
            return read(dir.getFileSystem(hadoop), dir);
        } catch (IOException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }

    static CheckpointSummary read(FileSystem fs, Path dir) throws IOException {
        JsonNode meta = metadata(fs, dir);
        JsonNode history = meta.path("history");
        EpochMetrics last = history.isArray() && !history.isEmpty()
                ? LENIENT.treeToValue(history.get(history.size() - 1), EpochMetrics.class) : null;
        return new CheckpointSummary(dir.getName(), fs.makeQualified(dir).toString(),
                meta.path("format_version").asInt(), meta.path("epoch").asInt(), meta.path("global_step").asLong(),
                meta.path("created_at").asText(null), last, fs.getContentSummary(dir).getLength(),
                meta.path("position").path("steps_done").asInt(0));
    }

    /** The metadata.json of {@code dir} as a tree. */
    static JsonNode metadata(FileSystem fs, Path dir) throws IOException {
        Path file = new Path(dir, CheckpointStore.METADATA);
        try (FSDataInputStream in = fs.open(file)) {
            JsonNode meta = LENIENT.readTree(in);
            if (meta == null || !meta.isObject()) {
                throw new IOException("not a JSON object");
            }
            return meta;
        } catch (IOException e) {
            throw new IOException("cannot read " + fs.makeQualified(file) + ": " + e.getMessage(), e);
        }
    }
}
