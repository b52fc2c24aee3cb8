package dev.sparktrain.chart;

import dev.sparktrain.train.EpochMetrics;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.math.BigDecimal;
import java.math.MathContext;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** One panel of the picture: an XChart XY chart of figures against the epoch, styled alike for every panel. */
final class Panel {
    /** Epochs up to which each point is marked; beyond, markers only clutter the lines. */
    private static final int MARKED_EPOCHS = 30;
    private static final Color GRID = new Color(228, 228, 228);
    private static final Color TEXT = new Color(40, 40, 40);

    private final XYChart chart;
    private final List<Double> values = new ArrayList<>();
    private final Set<Integer> xs = new HashSet<>();

    Panel(String title, String yTitle) {
        chart = new XYChart(1, 1); // painted at the size the picture gives it
        chart.setTitle(title);
        chart.setXAxisTitle("epoch");
        chart.setYAxisTitle(yTitle);
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(GRID);
        s.setChartFontColor(TEXT);
        s.setAxisTickLabelsColor(TEXT);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendPosition(LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartPadding(12);
        // epochs are whole numbers: label the whole ticks only
        chart.setCustomXAxisTickLabelsFormatter(x -> Math.abs(x - Math.rint(x)) < 1e-9 ? Long.toString(Math.round(x))
                : "");
    }

    /**
     * A tick label: 6 significant digits at most, thousands grouped; {@code scientific} (an axis of small
     * figures, such as an lr late in a schedule) writes 1e-4, the same style for every tick of the axis.
     */
    static String number(double v, boolean scientific) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        if (scientific) {
            return String.format(Locale.ROOT, "%.5e", v).replaceAll("\\.?0+e", "e")
                    .replaceAll("e\\+?(-?)0*(\\d)", "e$1$2");
        }
        DecimalFormat f = new DecimalFormat("#,##0.#########", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return f.format(new BigDecimal(v).round(new MathContext(6)));
    }

    /**
     * Adds a line of {@code y} over {@code epochs}, leaving out the epochs where it is not finite (no
     * validation data, a lost figure); a line with no point is not drawn.
     */
    void line(String name, Color color, BasicStroke stroke, List<EpochMetrics> epochs,
              ToDoubleFunction<EpochMetrics> y) {
        List<Integer> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (EpochMetrics m : epochs) {
            double v = y.applyAsDouble(m);
            if (Double.isFinite(v)) {
                xs.add(m.epoch());
                ys.add(v);
            }
        }
        if (ys.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, xs, ys);
        series.setLineColor(color);
        series.setLineStyle(stroke);
        series.setMarkerColor(color);
        series.setMarker(epochs.size() <= MARKED_EPOCHS ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        values.addAll(ys);
        this.xs.addAll(xs);
    }

    void legend(boolean visible) {
        chart.getStyler().setLegendVisible(visible);
    }

    /** A logarithmic y axis when the figures are positive and span two decades or more (lr schedules). */
    void logarithmicWhenWide() {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        boolean log = min > 0 && max / min >= 100;
        chart.getStyler().setYAxisLogarithmic(log);
        if (log) {
            chart.setYAxisTitle(chart.getYAxisTitle() + " (log scale)");
        }
    }

    /** Draws the panel in the {@code width} x {@code height} box at the graphics' origin. */
    void paint(Graphics2D g, int width, int height, String whenEmpty) {
        if (values.isEmpty()) {
            XYStyler s = chart.getStyler();
            s.setLegendVisible(false);
            s.setAxisTicksVisible(false);
            s.setPlotGridLinesVisible(false);
            s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.ITALIC, 14));
            s.setAnnotationTextFontColor(Color.GRAY);
            chart.addAnnotation(new AnnotationText(whenEmpty, width / 2.0, height / 2.0, true));
        }
        widenDegenerateRanges();
        if (!chart.getStyler().isYAxisLogarithmic()) { // a custom formatter would space a log axis's ticks linearly
            double largest = values.stream().mapToDouble(Math::abs).max().orElse(0);
            boolean scientific = largest > 0 && largest < 1e-3 || largest >= 1e9;
            chart.setCustomYAxisTickLabelsFormatter(v -> number(v, scientific));
        }
        chart.paint(g, width, height);
    }

    /**
     * One epoch, or one value (a constant lr), would put the points on the plot's edges or leave the
     * y axis without a range: give them room, to round figures.
     */
    private void widenDegenerateRanges() {
        if (values.isEmpty()) {
            return;
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        if ((xs.size() == 1 || min == max) && !chart.getStyler().isYAxisLogarithmic()) {
            double pad = max > min ? (max - min) * 0.15 : max == 0 ? 1 : Math.abs(max) * 0.1;
            double step = Math.pow(10, Math.floor(Math.log10(pad)));
            chart.getStyler().setYAxisMin(Math.floor((min - pad) / step) * step)
                    .setYAxisMax(Math.ceil((max + pad) / step) * step);
        }
    }
}
