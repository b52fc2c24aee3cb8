package dev.sparktrain.bench.peers;

import dev.sparktrain.data.ArrayDataset;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.time.SystemClockTimeSource;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Trains LeNet-5 on Fashion-MNIST with DL4J's {@link SparkDl4jMultiLayer} and
 * {@link ParameterAveragingTrainingMaster} on an embedded {@code local[workers]} Spark, and prints one
 * line per epoch: {@code RESULT peer=patm-shipped batch=64 epoch=1 samples_per_s=... train_s=... loss=...},
 * with {@code test_acc=...} after the last epoch. samples/s is the epoch's training examples over the
 * wall time of its {@code fit} (test evaluation excluded). Arguments: see {@link PatmSettings}.
 */
public final class PatmBenchmark {
    private PatmBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        PatmSettings s;
        try {
            s = PatmSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        String backend = s.mode().prepareBackend(); // before anything loads ND4J
        ArrayDataset train = FashionMnist.train(s.dataDir(), s.trainLimit());
        ArrayDataset test = FashionMnist.test(s.dataDir());
        MultiLayerConfiguration conf = PeerLeNet.configuration(s.seed(), s.lr(), s.mode());
        PeerLeNet.requireSameAs(conf, s.seed());
        Path work = Path.of(s.workDir()).toAbsolutePath();
        Files.createDirectories(work);

        SparkConf sparkConf = new SparkConf().setMaster("local[" + s.workers() + "]").setAppName(s.peer())
                .set("spark.ui.enabled", "false")
                .set("spark.local.dir", work.resolve("spark").toString());
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf)) {
            // As DL4J's Spark examples build it: a list of minibatch DataSets, parallelized into one partition per worker
            JavaRDD<DataSet> trainRdd = sc.parallelize(FashionMnist.batches(train, s.batchPerWorker(), s.seed()), s.workers());
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(s.workers(), s.batchPerWorker())
                    .batchSizePerWorker(s.batchPerWorker())
                    .averagingFrequency(s.averagingFrequency())
                    .workerPrefetchNumBatches(s.prefetch())
                    .rddTrainingApproach(s.approach())
                    .exportDirectory(work.resolve("export").toUri().toString())
                    .rngSeed(s.seed())
                    .build();
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, conf, tm);
            if (s.workerStats()) {
                // the stats' default clock asks pool.ntp.org and fails the run without a network
                System.setProperty(DL4JSystemProperties.TIMESOURCE_CLASSNAME_PROPERTY, SystemClockTimeSource.class.getName());
                sparkNet.setCollectTrainingStats(true);
            }
            System.out.printf(Locale.ROOT, "%s: nd4j-native %s, %s; %d training examples, %d x %d per minibatch, averaging every %d,"
                            + " %s approach; conv helper %s, pooling helper %s%n", s.peer(), Dl4jSetup.loadedNativeBuild(),
                    backend, train.size(),
                    s.workers(), s.batchPerWorker(), s.averagingFrequency(), s.approach(),
                    helper(sparkNet.getNetwork().getLayer(0)), helper(sparkNet.getNetwork().getLayer(1)));
            for (int epoch = 1; epoch <= s.epochs(); epoch++) {
                long start = System.nanoTime();
                sparkNet.fit(trainRdd);
                double seconds = (System.nanoTime() - start) / 1e9;
                String line = String.format(Locale.ROOT, "RESULT peer=%s batch=%d epoch=%d samples_per_s=%.1f train_s=%.2f loss=%.4f",
                        s.peer(), s.globalBatch(), epoch, train.size() / seconds, seconds, sparkNet.getScore());
                if (epoch == s.epochs()) {
                    line += String.format(Locale.ROOT, " test_acc=%.4f", accuracy(sparkNet.getNetwork(), test));
                }
                System.out.println(line);
                if (s.workerStats()) {
                    System.out.println(WorkerTimes.describe(s.peer(), epoch, sparkNet.getSparkTrainingStats()));
                    tm.setCollectTrainingStats(false); // a fresh record for the next epoch
                    tm.setCollectTrainingStats(true);
                }
            }
            tm.deleteTempFiles(sc);
        } finally {
            deleteRecursively(work.resolve("export"));
            deleteRecursively(work.resolve("spark"));
            try (Stream<Path> left = Files.list(work)) {
                if (left.findAny().isEmpty()) {
                    Files.delete(work);
                }
            }
        }
    }

    /** Accuracy on the test set, evaluated on the driver. */
    private static double accuracy(MultiLayerNetwork net, ArrayDataset test) {
        List<DataSet> batches = FashionMnist.batches(test, 1000, null);
        Evaluation eval = net.evaluate(new ListDataSetIterator<>(batches, 1));
        return eval.accuracy();
    }

    private static String helper(Layer layer) {
        return layer.getHelper() == null ? "none" : layer.getHelper().getClass().getSimpleName();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
