package dev.sparktrain.run;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.ImageFolders;
import dev.sparktrain.train.EpochMetrics;
import dev.sparktrain.train.TrainingSnapshot;
import dev.sparktrain.trainer.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * data.num-workers in the single-process trainer: an image folder decoded per minibatch, with random
 * crops and flips and a normalization from the training data, trained 2 epochs with 0 and with 2 loading
 * threads gives the same parameters and metrics, bit for bit.
 */
class LocalTrainerWorkersTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeImages() {
        Random r = new Random(8);
        for (int i = 0; i < 80; i++) {
            boolean top = i % 2 == 0;
            BufferedImage img = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 10; x++) {
                    boolean bar = top ? y >= 1 && y < 3 : y >= 7 && y < 9;
                    int v = Math.min(255, (bar ? 180 : 30) + r.nextInt(60));
                    img.setRGB(x, y, (v << 16) | (v << 8) | v);
                }
            }
            ImageFolders.write(dir.resolve("data").resolve(top ? "top" : "bottom").resolve(i + ".png"), img, "png");
        }
    }

    private static TrainingSnapshot train(int k, int numWorkers) {
        String run = "run-k" + k + "-w" + numWorkers;
        JobConfig config = ConfigLoader.parse("", List.of("data.format=image-folder",
                "data.train.path=\"" + dir.resolve("data").toUri() + "\"", "data.val-fraction=0.25", "data.classes=2",
                "data.image.channels=3", "data.image.height=8", "data.image.width=8",
                "data.transforms.normalize-from-train=true", "data.transforms.crop-padding=2",
                "data.transforms.horizontal-flip=true", "data.num-workers=" + numWorkers, "model.type=mlp",
                "model.hidden=[8]", "train.epochs=2", "train.batch-size=5", "train.workers=2",
                "train.averaging-frequency=" + k, "optimizer.lr=0.01",
                "output.dir=\"" + dir.resolve(run).toUri() + "\"", "checkpoint.every-epochs=0"));
        return Trainer.builder(config)
                .console(new PrintStream(PrintStream.nullOutputStream())).build().fit().snapshot();
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {1, 3})
    void twoLoadingThreadsTrainExactlyAsTheTrainingThreadAlone(int k) {
        TrainingSnapshot inline = train(k, 0);
        TrainingSnapshot threaded = train(k, 2);
        // about 60 training images in 2 shards, batch 5: as many steps as the larger shard needs
        JobConfig config = ConfigLoader.parse("", List.of("data.format=image-folder",
                "data.train.path=\"" + dir.resolve("data").toUri() + "\"", "data.val-fraction=0.25", "data.classes=2"));
        dev.sparktrain.data.shards.DataPreparation prep = new dev.sparktrain.data.shards.DataPreparation(
                config.data(), config.train().seed(), 2);
        dev.sparktrain.data.shards.PreparedData data = prep.prepareLocally(dev.sparktrain.data.HadoopConf.defaults());
        assertEquals(2 * prep.layout().plan(data.trainSizes(), 5, false).stepsPerEpoch(), inline.globalStep());
        assertEquals(inline.globalStep(), threaded.globalStep());
        assertArrayEquals(inline.params().toFloatVector(), threaded.params().toFloatVector(), "final parameters");
        for (int e = 0; e < 2; e++) {
            EpochMetrics a = inline.history().get(e);
            EpochMetrics b = threaded.history().get(e);
            String what = "epoch " + (e + 1);
            assertEquals(a.trainLoss(), b.trainLoss(), what + " train loss");
            assertEquals(a.trainExamples(), b.trainExamples(), what);
            assertEquals(a.valLoss(), b.valLoss(), what + " val loss");
            assertEquals(a.valAccuracy(), b.valAccuracy(), what + " val accuracy");
            assertEquals(data.valSize(), b.valExamples(), what);
        }
    }
}
