package dev.sparktrain.bench.peers;

import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.format.IdxReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fashion-MNIST through sparktrain's IDX reader (pixels scaled to [0, 1], the same bytes sparktrain
 * trains on), cut into minibatch DataSets the way DL4J's Spark examples build their RDDs: one list
 * of minibatches, shuffled once with the seed.
 */
final class FashionMnist {
    private FashionMnist() {
    }

    /** The 60,000 training examples (the first {@code limit} when positive). */
    static ArrayDataset train(String dir, int limit) {
        return read(dir, "train", limit);
    }

    /** The 10,000 test examples. */
    static ArrayDataset test(String dir) {
        return read(dir, "t10k", 0);
    }

    /** Minibatches of {@code batch} examples (the last one smaller), in an order shuffled by {@code seed} (null: file order). */
    static List<DataSet> batches(ArrayDataset data, int batch, Long seed) {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (seed != null) {
            Random rng = new Random(seed);
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < order.length; from += batch) {
            int[] idx = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + batch));
            out.add(data.batch(idx, PeerLeNet.CLASSES, DataType.FLOAT));
        }
        return out;
    }

    private static ArrayDataset read(String dir, String prefix, int limit) {
        Path images = Path.of(dir, prefix + "-images-idx3-ubyte.gz");
        Path labels = Path.of(dir, prefix + "-labels-idx1-ubyte.gz");
        if (!Files.isRegularFile(images) || !Files.isRegularFile(labels)) {
            throw new IllegalArgumentException("--data-dir " + dir + " lacks " + images.getFileName() + " or "
                    + labels.getFileName() + " (Debian: apt-get install dataset-fashion-mnist)");
        }
        return IdxReader.read(images.toUri().toString(), labels.toUri().toString(), limit, PeerLeNet.CLASSES);
    }
}
