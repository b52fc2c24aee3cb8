package dev.sparktrain.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;

/**
 * A fitted model on disk, as Spark ML saves its own: a directory with Spark's {@code metadata} (class,
 * uid, Spark version, every Param and default; here also the format version, sparktrain's and DL4J's
 * versions, the number of features and the SHA-256 of the network) and {@code data/model.zip}, the
 * DL4J network as ModelSerializer writes it (plain DL4J restores it). Any Hadoop file system; a
 * PipelineModel holding the model saves and loads it as one of its stages.
 */
final class ModelFiles {
    /** The layout version written; a reader refuses others, naming them. */
    static final int FORMAT = 1;
    private static final String NETWORK = "data/model.zip";

    private ModelFiles() {
    }

    /** Writes {@code model}'s metadata and {@code net}. */
    static MLWriter writer(Params model, FittedNetwork net) {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                // Spark's metadata with sparktrain's fields added, written where and as DefaultParamsWriter
                // writes it (one text line under metadata/): json4s' classes differ between Spark 3.5 and 4,
                // so the extra fields are merged with Jackson rather than passed as a json4s object
                ObjectNode metadata = (ObjectNode) json(DefaultParamsWriter.getMetadataToSave(model, sc(),
                        Option.empty(), Option.empty()), path);
                metadata.setAll((ObjectNode) json(net.metadataJson(), path));
                new org.apache.spark.api.java.JavaSparkContext(sc()).parallelize(
                        java.util.List.of(metadata.toString()), 1).saveAsTextFile(new Path(path, "metadata").toString());
                Path file = new Path(path, NETWORK);
                try (FSDataOutputStream out = file.getFileSystem(sc().hadoopConfiguration()).create(file, false)) {
                    out.write(net.zip());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /** Reads a model of class {@code type} saved by {@link #writer}; {@code create} builds it from uid and network. */
    static <M extends Params> MLReader<M> reader(Class<M> type, BiFunction<String, FittedNetwork, M> create) {
        return new MLReader<>() {
            @Override
            public M load(String path) {
                DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sc(), type.getName());
                JsonNode extra = json(metadata.metadataJson(), path);
                int format = extra.path("sparktrainFormat").asInt(-1);
                if (format != FORMAT) {
                    throw new IllegalArgumentException(path + ": sparktrainFormat " + extra.path("sparktrainFormat")
                            + " in its metadata; this build reads format " + FORMAT);
                }
                byte[] zip = read(new Path(path, NETWORK), sc().hadoopConfiguration());
                String expected = extra.path("modelSha256").asText();
                if (!DigestUtils.sha256Hex(zip).equals(expected)) {
                    throw new IllegalArgumentException(path + "/" + NETWORK + " does not match its metadata (SHA-256 "
                            + DigestUtils.sha256Hex(zip) + ", metadata " + expected + ")");
                }
                M model = create.apply(metadata.uid(), FittedNetwork.of(zip, extra.path("numFeatures").asInt()));
                metadata.getAndSetParams(model, Option.empty());
                return model;
            }
        };
    }

    private static JsonNode json(String text, String path) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": metadata is not JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file, org.apache.hadoop.conf.Configuration hadoop) {
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            try (FSDataInputStream in = fs.open(file)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
