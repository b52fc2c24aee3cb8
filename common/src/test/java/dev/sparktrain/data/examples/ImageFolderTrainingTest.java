package dev.sparktrain.data.examples;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.ImageFolders;

import dev.sparktrain.train.TrainingSnapshot;
import dev.sparktrain.trainer.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Example: an image folder ({@code root/top/*.png}, {@code root/bottom/*.jpg}: a bright bar in the top or
 * bottom third of a noisy 12x12 RGB image, written at 16x16 and resized) trained single-process from the
 * config alone, with the training-set normalization, random crops with 2 pixels of padding and random
 * horizontal flips (which keep the class), and a seeded 25% validation split.
 */
class ImageFolderTrainingTest {
    @TempDir
    Path dir;

    @Test
    void anMlpLearnsBarPositionsThroughTheAugmentedImageFolderPipeline() {
        Random r = new Random(4);
        for (int i = 0; i < 160; i++) {
            boolean top = i % 2 == 0;
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    boolean bar = top ? y >= 2 && y < 5 : y >= 11 && y < 14;
                    int v = Math.min(255, (bar ? 180 : 30) + r.nextInt(60));
                    img.setRGB(x, y, (v << 16) | (v << 8) | v);
                }
            }
            ImageFolders.write(dir.resolve("data").resolve(top ? "top" : "bottom").resolve(i + (top ? ".png" : ".jpg")),
                    img, top ? "png" : "jpg");
        }
        JobConfig config = ConfigLoader.parse("", List.of("data.format=image-folder",
                "data.train.path=\"" + dir.resolve("data").toUri() + "\"", "data.val-fraction=0.25", "data.classes=2",
                "data.image.channels=3", "data.image.height=12", "data.image.width=12",
                "data.transforms.normalize-from-train=true", "data.transforms.crop-padding=2",
                "data.transforms.horizontal-flip=true", "model.type=mlp", "model.hidden=[16]", "train.epochs=4",
                "train.batch-size=8", "train.workers=2", "train.averaging-frequency=1", "optimizer.lr=0.003",
                "output.dir=\"" + dir.resolve("run").toUri() + "\"", "checkpoint.every-epochs=0"));
        TrainingSnapshot end = Trainer.builder(config)
                .console(new PrintStream(PrintStream.nullOutputStream())).build().fit().snapshot();
        assertEquals(4, end.epochsDone());
        // about 120 training images in 2 shards, batch 8: as many steps per epoch as the larger shard needs
        dev.sparktrain.data.shards.DataPreparation prep = new dev.sparktrain.data.shards.DataPreparation(
                config.data(), config.train().seed(), 2);
        int[] sizes = prep.prepareLocally(dev.sparktrain.data.HadoopConf.defaults()).trainSizes();
        assertEquals(4 * prep.layout().plan(sizes, 8, false).stepsPerEpoch(), end.globalStep());
        assertTrue(Math.abs(sizes[0] + sizes[1] - 120) < 30, "about 3/4 of 160: " + java.util.Arrays.toString(sizes));
        assertTrue(end.last().valAccuracy() > 0.9, "val accuracy " + end.last().valAccuracy());
    }
}
