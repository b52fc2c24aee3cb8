package dev.sparktrain.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes image folders {@code root/<class>/<n>.png} for tests, and reads them back whole. */
public final class ImageFolders {
    private ImageFolders() {
    }

    /** Every image under {@code root}, in class then name order, as data.format = image-folder reads them. */
    public static ImageDataset scan(String root, dev.sparktrain.config.DataConfig.Image size, int classes) {
        dev.sparktrain.config.DataConfig c = dev.sparktrain.data.format.Formats.config("data.format=image-folder",
                "data.train.path=\"" + root + "\"", "data.val.path=unused", "data.classes=" + classes,
                "data.image.channels=" + size.channels(), "data.image.height=" + size.height(),
                "data.image.width=" + size.width());
        java.util.List<ImageRef> refs = dev.sparktrain.data.format.Formats.records(dev.sparktrain.data.format.Formats.open(c))
                .stream().map(r -> (ImageRef) r).toList();
        return ImageDataset.of(refs, size, HadoopConf.defaults());
    }

    /** One solid-colour image of {@code w x h} with RGB {@code rgb}. */
    public static void write(Path file, int w, int h, int rgb, String format) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        write(file, img, format);
    }

    public static void write(Path file, BufferedImage img, String format) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
