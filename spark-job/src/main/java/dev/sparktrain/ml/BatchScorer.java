package dev.sparktrain.ml;

import dev.sparktrain.data.DataException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A model's transform: each partition is scored in minibatches (up to 1,000 rows, fewer for wide
 * rows: at most 2^22 feature values) by one network per task, which the executor's JVM restores once
 * from the broadcast model.zip ({@link NetworkCache}); every input column is kept and the output
 * columns are appended. A row whose features are null or of another width fails its task with a
 * message naming the column and the widths.
 */
final class BatchScorer implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_ROWS = 1000;
    private static final int MAX_VALUES = 1 << 22;
    private final String sha256;
    private final Broadcast<byte[]> zip;
    private final int featuresIndex;
    private final String featuresCol;
    private final int numFeatures;
    private final OutputColumns columns;

    private BatchScorer(FittedNetwork net, Broadcast<byte[]> zip, int featuresIndex, String featuresCol,
                        OutputColumns columns) {
        this.sha256 = net.sha256();
        this.zip = zip;
        this.featuresIndex = featuresIndex;
        this.featuresCol = featuresCol;
        this.numFeatures = net.numFeatures();
        this.columns = columns;
    }

    /** {@code dataset} with the columns of {@code out} (its schema plus the output columns) appended. */
    static Dataset<Row> transform(Dataset<?> dataset, StructType out, String featuresCol, FittedNetwork net,
                                  OutputColumns columns) {
        Dataset<Row> df = dataset.toDF();
        Broadcast<byte[]> zip = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext()).broadcast(net.zip());
        BatchScorer scorer = new BatchScorer(net, zip, df.schema().fieldIndex(featuresCol), featuresCol, columns);
        return df.mapPartitions((MapPartitionsFunction<Row, Row>) scorer::score, Encoders.row(out));
    }

    Iterator<Row> score(Iterator<Row> rows) {
        int batch = Math.max(1, Math.min(MAX_ROWS, MAX_VALUES / numFeatures));
        return new Iterator<>() {
            private LoadedNetwork net;
            private Row[] scored = new Row[0];
            private int next;

            @Override
            public boolean hasNext() {
                if (next < scored.length) {
                    return true;
                }
                if (!rows.hasNext()) {
                    if (net != null) {
                        NetworkCache.giveBack(sha256, net);
                        net = null;
                    }
                    return false;
                }
                scoreBatch();
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return scored[next++];
            }

            private void scoreBatch() {
                List<Row> in = new ArrayList<>(batch);
                float[] x = new float[batch * numFeatures];
                while (in.size() < batch && rows.hasNext()) {
                    Row r = rows.next();
                    features(r, x, in.size() * numFeatures);
                    in.add(r);
                }
                if (net == null) {
                    net = NetworkCache.borrow(sha256, zip::value);
                }
                double[][] y = net.output(x, in.size(), numFeatures);
                scored = new Row[in.size()];
                for (int i = 0; i < scored.length; i++) {
                    scored[i] = appended(in.get(i), columns.values(y[i]));
                }
                next = 0;
            }
        };
    }

    private void features(Row r, float[] x, int offset) {
        if (r.isNullAt(featuresIndex)) {
            throw new DataException("featuresCol '" + featuresCol + "' is null in a row to score");
        }
        Object v = r.get(featuresIndex);
        if (v instanceof Vector vec) {
            checkWidth(vec.size());
            double[] d = vec.toArray();
            for (int k = 0; k < numFeatures; k++) {
                x[offset + k] = (float) d[k];
            }
            return;
        }
        List<Object> values = r.getList(featuresIndex);
        checkWidth(values.size());
        for (int k = 0; k < numFeatures; k++) {
            Object e = values.get(k);
            if (e == null) {
                throw new DataException("featuresCol '" + featuresCol + "' value " + k + " is null in a row to score");
            }
            x[offset + k] = ((Number) e).floatValue();
        }
    }

    private void checkWidth(int width) {
        if (width != numFeatures) {
            throw new DataException("featuresCol '" + featuresCol + "' holds " + width + " values in a row, the model "
                    + "takes " + numFeatures + " (the number of features it was fit on)");
        }
    }

    private static Row appended(Row r, Object[] extra) {
        Object[] v = new Object[r.size() + extra.length];
        for (int i = 0; i < r.size(); i++) {
            v[i] = r.get(i);
        }
        System.arraycopy(extra, 0, v, r.size(), extra.length);
        return RowFactory.create(v);
    }
}
