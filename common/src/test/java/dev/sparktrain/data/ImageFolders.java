package dev.sparktrain.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes image folders {@code root/<class>/<n>.png} for tests. */
public final class ImageFolders {
    private ImageFolders() {
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
