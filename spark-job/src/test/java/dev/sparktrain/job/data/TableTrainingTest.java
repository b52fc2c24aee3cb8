package dev.sparktrain.job.data;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.job.engine.SharedSpark;
import dev.sparktrain.job.engine.SparkExecutor;
import dev.sparktrain.run.TrainingRun;
import dev.sparktrain.train.TrainingSnapshot;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training from a Parquet table on Spark, validation split off the same table: 4 classes, features a
 * noisy one-hot of the class (8 values: the class's two slots carry 1, plus Gaussian noise of 0.5).
 */
class TableTrainingTest {
    @TempDir
    Path dir;

    @Test
    void anMlpTrainsFromParquetWithASeededValidationSplit() {
        Random r = new Random(1);
        List<Row> rows = new ArrayList<>();
        for (int g = 0; g < 1200; g++) {
            int y = r.nextInt(4);
            double[] f = new double[8];
            for (int k = 0; k < 8; k++) {
                f[k] = (k / 2 == y ? 1 : 0) + 0.5 * r.nextGaussian();
            }
            rows.add(RowFactory.create(f, y));
        }
        StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.IntegerType);
        String path = dir.resolve("t.parquet").toUri().toString();
        SparkDataTest.spark().createDataFrame(rows, schema).repartition(3).write().parquet(path);
        JobConfig config = ConfigLoader.parse("", List.of("data.format=parquet", "data.train.path=\"" + path + "\"",
                "data.val-fraction=0.25", "data.classes=4", "data.image.channels=1", "data.image.height=1",
                "data.image.width=8", "data.storage=memory-and-disk-ser", "model.type=mlp", "model.hidden=[16]",
                "train.epochs=3", "train.batch-size=16", "train.workers=2", "train.averaging-frequency=1",
                "optimizer.lr=0.01", "output.dir=\"" + dir.resolve("run").toUri() + "\"", "checkpoint.every-epochs=0"));
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        TrainingSnapshot end = new TrainingRun(config, quiet)
                .run(spec -> new SparkExecutor(SharedSpark.context(), config, spec));
        assertEquals(3, end.epochsDone());
        // about 900 training examples over 2 workers of batch 16: about ceil(450 / 16) = 29 steps per epoch
        SparkData.Loaded loaded = SparkData.load(SharedSpark.context(), config.data(), config.train().seed(), 2);
        int steps = new dev.sparktrain.data.shards.ShardLayout(config.train().seed(), 0.25, 2)
                .plan(loaded.trainSizes(), 16, false).stepsPerEpoch();
        loaded.unpersist();
        assertEquals(3 * steps, end.globalStep());
        assertTrue(Math.abs(loaded.trainSize() - 900) < 60, "about 3/4 of 1200: " + loaded.trainSize());
        // the Bayes accuracy of this noise level is about 0.9
        assertTrue(end.last().valAccuracy() > 0.8, "val accuracy " + end.last().valAccuracy());
    }
}
