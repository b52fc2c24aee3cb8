package dev.sparktrain.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.chart.Curve;
import dev.sparktrain.chart.LearningCurves;
import dev.sparktrain.checkpoint.ModelZipWriter;
import dev.sparktrain.train.EpochMetrics;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One run's directory ({@code <output.dir>/runs/<run-id>}) on any Hadoop FileSystem: {@code config.json}
 * (the resolved config), {@code metrics.jsonl} (one JSON object per epoch), {@code curves.png} (the
 * learning curves of those epochs) and {@code model.zip} (the final model, a plain DL4J ModelSerializer
 * zip); the experiment writes its run.json beside them. Every file is written under a temporary name and
 * renamed, so a crash never leaves a half-written one.
 */
public final class RunDirectory {
    public static final String CONFIG = dev.sparktrain.experiment.Experiment.CONFIG;
    public static final String METRICS = "metrics.jsonl";
    public static final String CURVES = "curves.png";
    public static final String MODEL = dev.sparktrain.experiment.Experiment.MODEL;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper LENIENT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path dir;
    private final FileSystem fs;

    public RunDirectory(String uri) {
        this(uri, new Configuration());
    }

    public RunDirectory(String uri, Configuration hadoop) {
        this.dir = new Path(uri);
        try {
            this.fs = dir.getFileSystem(hadoop);
            fs.mkdirs(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory output.dir = " + uri + ": " + e.getMessage(), e);
        }
    }

    public String location() {
        return fs.makeQualified(dir).toString();
    }

    public void writeConfig(String json) {
        write(CONFIG, out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** Rewrites metrics.jsonl with the whole history (so a resumed run never duplicates an epoch). */
    public void writeMetrics(List<EpochMetrics> history) {
        write(METRICS, out -> {
            for (EpochMetrics m : history) {
                out.write(JSON.writeValueAsBytes(m));
                out.write('\n');
            }
        });
    }

    /** Rewrites curves.png: the learning curves of {@code curve}'s epochs, headed {@code title}. */
    public void writeCurves(String title, Curve curve) {
        write(CURVES, out -> LearningCurves.writePng(title, List.of(curve), out));
    }

    /**
     * The epochs of the run directory at {@code uri} (its metrics.jsonl, read without creating anything;
     * fields this build does not know are ignored); empty when it has no metrics.jsonl.
     */
    public static Optional<List<EpochMetrics>> readMetrics(String uri, Configuration hadoop) {
        Path file = new Path(uri, METRICS);
        List<EpochMetrics> epochs = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getFileSystem(hadoop).open(file),
                StandardCharsets.UTF_8))) {
            int n = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    epochs.add(LENIENT.readValue(line, EpochMetrics.class));
                } catch (JsonProcessingException e) {
                    throw new IOException("line " + n + " is not an epoch's metrics: " + e.getOriginalMessage(), e);
                }
            }
            return Optional.of(epochs);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void writeModel(INDArray params, ModelZipWriter writer) {
        write(MODEL, out -> writer.write(params, out));
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private void write(String name, Body body) {
        Path target = new Path(dir, name);
        Path tmp = new Path(dir, "." + name + ".tmp-" + UUID.randomUUID());
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                body.write(out);
            }
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
        } catch (IOException e) {
            try {
                fs.delete(tmp, false);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
