package dev.sparktrain.job.engine;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.IdxFiles;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.trainer.LocalBackend;
import dev.sparktrain.train.LocalExecutor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Job configs over small synthetic IDX files written into a test's directory. */
final class TestJobs {
    private TestJobs() {
    }

    /** Writes synthetic train (n) and val (n/4) IDX files into {@code dir} and returns a config using them. */
    static JobConfig synthetic(Path dir, int n, String... overrides) throws IOException {
        IdxFiles.writeSynthetic(dir, "train", n, 10, 1, true);
        IdxFiles.writeSynthetic(dir, "val", Math.max(10, n / 4), 10, 2, true);
        List<String> all = new ArrayList<>(List.of(
                "data.train.images=" + dir.resolve("train-images-idx3-ubyte.gz").toUri(),
                "data.train.labels=" + dir.resolve("train-labels-idx1-ubyte.gz").toUri(),
                "data.val.images=" + dir.resolve("val-images-idx3-ubyte.gz").toUri(),
                "data.val.labels=" + dir.resolve("val-labels-idx1-ubyte.gz").toUri(),
                "output.dir=" + dir.resolve("run").toUri(),
                "spark.master=\"local[2]\""));
        all.addAll(Arrays.asList(overrides));
        return ConfigLoader.parse("", all);
    }

    /** The single-process trainer's executor for {@code config}, its data prepared as --local prepares it. */
    static LocalExecutor local(JobConfig config, ModelSpec spec) {
        DataPreparation prep = new DataPreparation(config.data(), config.train().seed(), config.train().workers());
        return LocalBackend.executor(config, prep, prep.prepareViews(prep.prepareLocally(HadoopConf.defaults())), spec);
    }
}
