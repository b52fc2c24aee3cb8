package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDatasetTest {
    static final DataConfig.Image RGB_4 = new DataConfig.Image(3, 4, 4);

    @TempDir
    Path dir;

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing in: " + message);
        }
    }

    /** dog/: 2 blue PNGs; cat/: 1 red PNG and 1 red JPG; a stray text file; zebra/ empty. */
    private String tree() throws IOException {
        ImageFolders.write(dir.resolve("dog/b.png"), 8, 6, 0x0000FF, "png");
        ImageFolders.write(dir.resolve("dog/a.png"), 5, 9, 0x0000FF, "png");
        ImageFolders.write(dir.resolve("cat/x.png"), 4, 4, 0xFF0000, "png");
        ImageFolders.write(dir.resolve("cat/y.jpg"), 16, 16, 0xFF0000, "jpg");
        Files.writeString(dir.resolve("cat/notes.txt"), "not an image");
        Files.createDirectories(dir.resolve("zebra"));
        return dir.toUri().toString();
    }

    @Test
    void classesAreSortedFoldersAndImagesAreResizedToTheConfiguredSize() throws IOException {
        ImageDataset d = ImageFolders.scan(tree(), RGB_4, 3);
        assertEquals(4, d.size());
        assertEquals(List.of(0, 0, 1, 1), List.of(d.label(0), d.label(1), d.label(2), d.label(3)), "cat, dog");
        assertTrue(d.where(2).endsWith("dog/a.png"), d.where(2));
        assertEquals(RowIds.of("dog/a.png"), d.id(2), "an image's id is its path below the root");
        // a solid colour stays that colour whatever the resize: red = (1, 0, 0) per pixel, CHW
        float[] red = d.get(0).features();
        assertEquals(48, red.length);
        for (int p = 0; p < 16; p++) {
            assertEquals(1f, red[p]);
            assertEquals(0f, red[16 + p]);
            assertEquals(0f, red[32 + p]);
        }
        float[] blue = d.get(3).features();
        assertEquals(0f, blue[5]);
        assertEquals(1f, blue[32 + 5]);
        float[] jpg = d.get(1).features(); // lossy: close to red
        assertEquals(1f, jpg[7], 0.05f);
        assertEquals(0f, jpg[16 + 7], 0.05f);
        DataSet b = d.batch(new int[]{3, 0}, 3, DataType.FLOAT);
        assertArrayEquals(new long[]{2, 48}, b.getFeatures().shape());
        assertArrayEquals(new float[]{0, 1, 0, 1, 0, 0}, b.getLabels().data().asFloat());
    }

    @Test
    void grayscaleGivesOneChannel() throws IOException {
        ImageDataset d = ImageFolders.scan(tree(), new DataConfig.Image(1, 3, 2), 3);
        float[] f = d.get(2).features();
        assertEquals(6, f.length);
        for (float v : f) {
            assertTrue(v > 0 && v < 1, "blue in gray: " + v);
        }
    }

    @Test
    void theDatasetHoldsPathsNotPixelsAndReadsOnGet() throws IOException {
        ImageDataset d = ImageFolders.scan(tree(), new DataConfig.Image(3, 224, 224), 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(d.select(new int[]{2, 3}));
        }
        assertTrue(bytes.size() < 3_000, "serialized shard of 2 paths (and the Hadoop settings): " + bytes.size()
                + " bytes");
        Files.delete(dir.resolve("dog/a.png"));
        assertContains(assertThrows(DataException.class, () -> d.get(2)).getMessage(), "dog/a.png");
    }

    @Test
    void aCorruptImageIsNamedByPath() throws IOException {
        tree();
        Files.write(dir.resolve("dog/c.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        ImageDataset d = ImageFolders.scan(dir.toUri().toString(), RGB_4, 3);
        String m = assertThrows(DataException.class, () -> d.get(4)).getMessage();
        assertContains(m, "cannot decode image", "dog/c.png");
    }

    @Test
    void emptyMissingAndTooManyClassesAreNamed() throws IOException {
        String root = tree();
        assertContains(assertThrows(DataException.class, () -> ImageFolders.scan(root, RGB_4, 2))
                .getMessage(), "3 class folders", "[cat, dog, zebra]", "data.classes = 2");
        Files.createDirectories(dir.resolve("zebra/empty/a"));
        String empty = dir.resolve("zebra/empty").toUri().toString();
        assertEquals(0, ImageFolders.scan(empty, RGB_4, 2).size(), "a class folder without images");
        String none = dir.resolve("zebra/empty/a").toUri().toString();
        assertContains(assertThrows(DataException.class, () -> ImageFolders.scan(none, RGB_4, 2))
                .getMessage(), "empty dataset", "no class folders", "zebra/empty/a");
        String missing = dir.resolve("none").toUri().toString();
        assertContains(assertThrows(DataException.class, () -> ImageFolders.scan(missing, RGB_4, 2))
                .getMessage(), "not found", "none");
        Files.writeString(dir.resolve("file.png"), "x");
        assertContains(assertThrows(DataException.class, () -> ImageFolders.scan(dir.resolve("file.png").toUri()
                .toString(), RGB_4, 2)).getMessage(), "is a file, expected a folder");
    }

    @Test
    void rgbaBytesDecodeWithAlpha() {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80FF0000);
        ImageFolders.write(dir.resolve("a/p.png"), img, "png");
        float[] f = ImageFolders.scan(dir.toUri().toString(), new DataConfig.Image(4, 2, 2), 1)
                .get(0).features();
        assertEquals(128 / 255f, f[12], 1e-6);
        assertEquals(0f, f[13]);
    }
}
