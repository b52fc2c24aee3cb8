package dev.sparktrain.chart;

import dev.sparktrain.train.EpochMetrics;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The picture's size, one color per overlaid run in every panel, the headline figure, the tick labels. */
class LearningCurvesTest {
    private static final int[] RUN_COLORS = {0x1f77b4, 0xff7f0e, 0x2ca02c}; // tab10's first three

    private static List<EpochMetrics> epochs(int n, double lr, Map<String, Double> val) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int e = 1; e <= n; e++) {
            double acc = val.isEmpty() ? 0.5 + 0.04 * e : Double.NaN;
            out.add(new EpochMetrics(e, 10L * e, 2.0 / e, 640, 2.2 / e, acc, 160, 1000 + 50 * e, 1, 1.2,
                    List.of(lr * Math.pow(0.5, e), lr * Math.pow(0.5, e) / 10), val));
        }
        return out;
    }

    /** Pixels of exactly {@code rgb} in the panel at column {@code col}, row {@code row} of the 2x2 grid. */
    private static int pixels(BufferedImage image, int rgb, int col, int row) {
        int w = image.getWidth() / 2;
        int h = (image.getHeight() - 40) / 2;
        int n = 0;
        for (int y = 40 + row * h; y < 40 + (row + 1) * h; y++) {
            for (int x = col * w; x < (col + 1) * w; x++) {
                n += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void threeRunsOverlaidTakeOneColorEachInEveryPanel() {
        BufferedImage image = LearningCurves.draw("runs a, b, c", List.of(new Curve("a", epochs(6, 0.1, Map.of())),
                new Curve("b", epochs(4, 0.05, Map.of())), new Curve("c", epochs(8, 0.01, Map.of()))));
        assertEquals(LearningCurves.WIDTH, image.getWidth());
        assertEquals(LearningCurves.HEIGHT, image.getHeight());
        for (int run = 0; run < 3; run++) {
            for (int panel = 0; panel < 4; panel++) {
                int n = pixels(image, RUN_COLORS[run], panel % 2, panel / 2);
                assertTrue(n > 50, "run " + run + " in panel " + panel + ": " + n + " pixels of its color");
            }
        }
        assertEquals(Color.WHITE.getRGB() & 0xffffff, image.getRGB(5, 5) & 0xffffff, "a white background");
    }

    @Test
    void learningRatesDecadesApartAreEvenlySpacedOnALogAxis() {
        List<Curve> curves = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            double lr = Math.pow(10, -1 - run); // 0.1, 0.01, 0.001: constant through 5 epochs
            curves.add(new Curve("lr" + lr, epochs(5, 0.1, Map.of()).stream().map(m -> new EpochMetrics(m.epoch(),
                    m.step(), m.trainLoss(), m.trainExamples(), m.valLoss(), m.valAccuracy(), m.valExamples(),
                    m.samplesPerSec(), m.trainSeconds(), m.epochSeconds(), List.of(lr), m.valMetrics())).toList()));
        }
        BufferedImage image = LearningCurves.draw("three lrs", curves);
        double[] y = new double[3];
        for (int run = 0; run < 3; run++) {
            y[run] = meanRow(image, RUN_COLORS[run], 0, 1);
        }
        assertTrue(y[0] < y[1] && y[1] < y[2], "0.1 above 0.01 above 0.001: " + java.util.Arrays.toString(y));
        assertEquals(y[1] - y[0], y[2] - y[1], 4, "a decade is a decade: " + java.util.Arrays.toString(y));
    }

    /** The mean row of the pixels of exactly {@code rgb} in the plot area (left of the legend) of a panel. */
    private static double meanRow(BufferedImage image, int rgb, int col, int row) {
        int w = image.getWidth() / 2;
        int h = (image.getHeight() - 40) / 2;
        long sum = 0;
        int n = 0;
        for (int y = 40 + row * h; y < 40 + (row + 1) * h; y++) {
            for (int x = col * w; x < col * w + w * 6 / 10; x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    sum += y;
                    n++;
                }
            }
        }
        assertTrue(n > 20, "pixels of " + Integer.toHexString(rgb) + ": " + n);
        return (double) sum / n;
    }

    @Test
    void aRegressionRunShowsItsHeadlineAndALossOnlyRunAnEmptyMetricPanel() {
        Map<String, Double> regression = new LinkedHashMap<>();
        regression.put("mse", 0.4);
        regression.put("mae", 0.5);
        regression.put("r2", 0.6);
        EpochMetrics m = epochs(1, 0.1, regression).get(0);
        assertEquals("mse", m.headlineName());
        assertEquals(0.4, m.headline());
        EpochMetrics lossOnly = new EpochMetrics(1, 5, 1.0, 10, 1.1, Double.NaN, 5, 10, 1, 1, List.of(0.1), Map.of());
        assertNull(lossOnly.headlineName());
        assertTrue(Double.isNaN(lossOnly.headline()));
        BufferedImage one = LearningCurves.draw("run r", List.of(new Curve("r", List.of(lossOnly))));
        assertEquals(0, pixels(one, RUN_COLORS[0], 1, 0), "nothing drawn in the val metric panel");
        assertTrue(pixels(one, RUN_COLORS[0], 0, 0) > 20, "the one epoch's train loss is drawn");
        assertThrows(IllegalArgumentException.class, () -> LearningCurves.draw("none", List.of()));
    }

    @Test
    void tickLabelsAreShortGroupedAndScientificForAnAxisOfSmallFigures() {
        assertEquals("0.09", Panel.number(0.09, false));
        assertEquals("0.3", Panel.number(0.1 + 0.2, false));
        assertEquals("0.0008", Panel.number(8e-4, false));
        assertEquals("4,400", Panel.number(4400, false));
        assertEquals("-0.25", Panel.number(-0.25, false));
        assertEquals("0", Panel.number(0, false));
        assertEquals("1e-4", Panel.number(1e-4, true));
        assertEquals("2.5e-5", Panel.number(2.5e-5, true));
        assertEquals("1.5e9", Panel.number(1.5e9, true));
        assertEquals("0", Panel.number(0, true));
    }
}
