package dev.sparktrain.run;

import dev.sparktrain.chart.LearningCurves;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.data.IdxFiles;
import dev.sparktrain.train.TrainingListener;
import dev.sparktrain.trainer.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's curves.png is there after every epoch of a short local run, headless, redrawn with each epoch. */
class CurvesListenerTest {
    @TempDir
    Path dir;

    @Test
    void curvesPngIsRedrawnAfterEveryEpoch() throws IOException {
        assertTrue(GraphicsEnvironment.isHeadless(), "the tests draw as CI does: without a display");
        IdxFiles.writeSynthetic(dir, "train", 120, 4, 1, true);
        String images = dir.resolve("train-images-idx3-ubyte.gz").toUri().toString();
        String labels = dir.resolve("train-labels-idx1-ubyte.gz").toUri().toString();
        List<byte[]> pictures = new ArrayList<>();
        // the run directory's files as the listeners after the default ones see them, epoch by epoch
        TrainingListener look = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEvent event) {
                Path png = dir.resolve("exp/runs/curves/" + RunDirectory.CURVES);
                assertTrue(Files.exists(png), "curves.png after epoch " + event.metrics().epoch());
                try {
                    pictures.add(Files.readAllBytes(png));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Trainer.builder(ConfigLoader.parse("", List.of("data.train.images=\"" + images + "\"",
                        "data.train.labels=\"" + labels + "\"", "data.val-fraction=0.25", "data.classes=4",
                        "model.type=mlp", "model.hidden=[8]", "train.epochs=3", "train.batch-size=30",
                        "optimizer.lr=0.05", "output.dir=\"" + dir.resolve("exp").toUri() + "\"",
                        "checkpoint.every-epochs=0")))
                .runId("curves").listener(look).console(new PrintStream(PrintStream.nullOutputStream())).build().fit();

        assertEquals(3, pictures.size(), "one picture per epoch");
        for (int e = 0; e < pictures.size(); e++) {
            BufferedImage image = decode(pictures.get(e));
            assertEquals(LearningCurves.WIDTH, image.getWidth(), "epoch " + (e + 1));
            assertEquals(LearningCurves.HEIGHT, image.getHeight(), "epoch " + (e + 1));
            if (e > 0) {
                assertFalse(Arrays.equals(pictures.get(e - 1), pictures.get(e)), "epoch " + (e + 1) + " redrawn");
            }
        }
        try (var files = Files.list(dir.resolve("exp/runs/curves"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary file left");
        }
    }

    private static BufferedImage decode(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertTrue(image != null, "a picture ImageIO reads");
            assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII), "PNG signature");
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
