package dev.sparktrain.job.predict;

import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.Example;
import dev.sparktrain.job.engine.ReplicaPool;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/** Scores the shards of one partition in minibatches with a pooled replica at the broadcast parameters. */
final class PredictTask implements FlatMapFunction<Iterator<Dataset>, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<INDArray> params;
    private final ModelSpec spec;
    private final PredictionSchema schema;
    private final int batchSize;

    PredictTask(Broadcast<INDArray> params, ModelSpec spec, PredictionSchema schema, int batchSize) {
        this.params = params;
        this.spec = spec;
        this.schema = schema;
        this.batchSize = batchSize;
    }

    /**
     * Lazily, batch by batch: a partition's rows are never all in memory. One pooled replica, its
     * parameters set once, scores the whole partition.
     */
    @Override
    public Iterator<Row> call(Iterator<Dataset> shards) {
        return new Iterator<>() {
            private Replica replica;
            private Dataset data;
            private int next;
            private Iterator<Row> batch = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!batch.hasNext()) {
                    if (data == null || next >= data.size()) {
                        if (!shards.hasNext()) {
                            if (replica != null) {
                                ReplicaPool.release(replica);
                                replica = null;
                            }
                            return false;
                        }
                        data = shards.next();
                        next = 0;
                        continue;
                    }
                    int[] idx = IntStream.range(next, Math.min(next + batchSize, data.size())).toArray();
                    next += idx.length;
                    if (replica == null) {
                        replica = ReplicaPool.borrow(spec);
                        replica.setParams(params.value());
                    }
                    batch = score(replica, data, idx).iterator();
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return batch.next();
            }
        };
    }

    private List<Row> score(Replica replica, Dataset data, int[] idx) {
        INDArray features = data.batch(idx, spec.classes(), params.value().dataType()).getFeatures();
        double[][] scores = schema.evaluator().scores(replica.output(features)).toDoubleMatrix();
        List<Row> rows = new ArrayList<>(idx.length);
        for (int i = 0; i < idx.length; i++) {
            rows.add(row(data.get(idx[i]), data.id(idx[i]), scores[i]));
        }
        return rows;
    }

    private Row row(Example e, long id, double[] scores) {
        List<Object> values = new ArrayList<>();
        values.add(id);
        if (schema.labelled() && e.target() == null) {
            values.add(e.label());
        } else if (schema.labelled()) {
            for (float t : e.target()) {
                values.add((double) t);
            }
        }
        schema.append(values, scores);
        return RowFactory.create(values.toArray());
    }
}
