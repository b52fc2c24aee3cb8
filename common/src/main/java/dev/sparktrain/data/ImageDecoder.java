package dev.sparktrain.data;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Decodes PNG/JPEG bytes with {@code javax.imageio}, resizes (bilinear) to height x width and returns
 * channels x height x width floats in [0, 1]: 1 channel = luminance, 3 = RGB, 4 = RGBA.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    /** {@code name} is the file (or row) the bytes came from, for the error message. */
    public static float[] decode(byte[] bytes, String name, int channels, int height, int width) {
        BufferedImage src;
        try {
            src = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new DataException("cannot decode image " + name + ": " + e.getMessage(), e);
        }
        if (src == null) {
            throw new DataException("cannot decode image " + name + ": not a PNG, JPEG, BMP or GIF image ("
                    + bytes.length + " bytes)");
        }
        int type = channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : channels == 4 ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        BufferedImage dst = new BufferedImage(width, height, type);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return toChw(dst, channels);
    }

    private static float[] toChw(BufferedImage img, int channels) {
        int h = img.getHeight();
        int w = img.getWidth();
        float[] out = new float[channels * h * w];
        if (channels == 1) {
            byte[] gray = new byte[h * w];
            img.getRaster().getDataElements(0, 0, w, h, gray);
            for (int p = 0; p < gray.length; p++) {
                out[p] = (gray[p] & 0xff) / 255f;
            }
            return out;
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        int plane = h * w;
        for (int p = 0; p < plane; p++) {
            int v = argb[p];
            out[p] = ((v >> 16) & 0xff) / 255f;
            out[plane + p] = ((v >> 8) & 0xff) / 255f;
            out[2 * plane + p] = (v & 0xff) / 255f;
            if (channels == 4) {
                out[3 * plane + p] = ((v >>> 24) & 0xff) / 255f;
            }
        }
        return out;
    }
}
