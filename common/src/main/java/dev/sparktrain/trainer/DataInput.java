package dev.sparktrain.trainer;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.shards.PreparedData;
import dev.sparktrain.experiment.DataFingerprint;

/**
 * What a {@link Trainer} fits on. In this module: the sources the config names ({@link #configured()}),
 * in-memory datasets ({@link #of}), or shards already prepared ({@link #prepared}). The Spark backend
 * adds a {@code Dataset<Row>} and a {@code JavaRDD<DataSet>} ({@code SparkInputs} in the job module).
 * Every kind goes through the same preparation: rows placed in shards by their ids.
 */
public interface DataInput {

    /** The examples' {channels, height, width} when the input knows it; null: read from the configured sources. */
    default int[] shape() {
        return null;
    }

    /** The sources the config's {@code data} section names. */
    static DataInput configured() {
        return Configured.INSTANCE;
    }

    /** In-memory datasets; validation from {@code val}, or split off {@code train} by data.val-fraction when null. */
    static DataInput of(Dataset train, Dataset val) {
        return new InMemory(train, val);
    }

    /** Shards already prepared and seen through their transforms (P training and P validation shards). */
    static DataInput prepared(PreparedData shards) {
        return new Prepared(shards, null);
    }

    /** The same, with the fingerprint of the sources they were prepared from. */
    static DataInput prepared(PreparedData shards, DataFingerprint fingerprint) {
        return new Prepared(shards, fingerprint);
    }

    /** See {@link #configured()}. */
    enum Configured implements DataInput {
        INSTANCE
    }

    /** See {@link #of}. */
    record InMemory(Dataset train, Dataset val) implements DataInput {
        @Override
        public int[] shape() {
            return train.shape();
        }
    }

    /** See {@link #prepared}. */
    record Prepared(PreparedData shards, DataFingerprint fingerprint) implements DataInput {
        @Override
        public int[] shape() {
            return shards.train().get(0).shape();
        }
    }
}
