package dev.sparktrain.chart;

import dev.sparktrain.train.EpochMetrics;
import org.knowm.xchart.style.lines.SeriesLines;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Learning curves as one picture of {@value #WIDTH} x {@value #HEIGHT} pixels: a title line, then four
 * panels against the epoch: train and val loss, the val metric (accuracy, or the target kind's headline
 * figure: see {@link EpochMetrics#headlineName()}), each param group's lr, and samples/s. One run's
 * lines take a color each; overlaid runs take one color per run (the legend names the run id), with
 * val loss dashed and further param groups in other dash patterns. Drawing needs no display
 * ({@code java.awt.headless=true} works), only the JVM's fonts.
 */
public final class LearningCurves {
    public static final int WIDTH = 1400;
    public static final int HEIGHT = 900;
    private static final int HEADER = 40;
    /** matplotlib's tab10: the colors a PyTorch user's curves usually have. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};
    private static final BasicStroke[] DASHES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT,
            SeriesLines.DASH_DOT};

    private LearningCurves() {
    }

    /** Writes the picture of {@code curves} as a PNG to {@code out} (left open). */
    public static void writePng(String title, List<Curve> curves, OutputStream out) throws IOException {
        if (!ImageIO.write(draw(title, curves), "png", out)) {
            throw new IOException("this JVM has no PNG writer");
        }
    }

    /** The picture of {@code curves}: one run, or several overlaid (one color each); {@code title} heads it. */
    public static BufferedImage draw(String title, List<Curve> curves) {
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("no learning curve to draw");
        }
        boolean overlay = curves.size() > 1;
        String metric = metricName(curves);
        Panel loss = new Panel("Loss", "loss");
        Panel val = new Panel("Validation " + metric, "val " + metric);
        Panel lr = new Panel("Learning rate", "lr");
        Panel speed = new Panel("Throughput", "samples/s");
        int maxGroups = 1;
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            List<EpochMetrics> e = c.epochs();
            Color own = PALETTE[i % PALETTE.length];
            String run = overlay ? c.name() + " " : "";
            loss.line(run + "train", own, SeriesLines.SOLID, e, EpochMetrics::trainLoss);
            loss.line(run + "val", overlay ? own : PALETTE[1], overlay ? SeriesLines.DASH_DASH : SeriesLines.SOLID, e,
                    EpochMetrics::valLoss);
            val.line(overlay ? c.name() : "val " + metric, own, SeriesLines.SOLID, e, EpochMetrics::headline);
            speed.line(overlay ? c.name() : "samples/s", own, SeriesLines.SOLID, e, EpochMetrics::samplesPerSec);
            int groups = e.stream().mapToInt(m -> m.lr().size()).max().orElse(1);
            maxGroups = Math.max(maxGroups, groups);
            for (int g = 0; g < groups; g++) {
                int group = g;
                String name = groups == 1 ? (overlay ? c.name() : "lr") : run + "group " + g;
                lr.line(name, overlay ? own : PALETTE[g % PALETTE.length], overlay ? DASHES[g % DASHES.length]
                        : SeriesLines.SOLID, e, m -> group < m.lr().size() ? m.lr().get(group) : Double.NaN);
            }
        }
        lr.logarithmicWhenWide();
        loss.legend(true);
        val.legend(overlay);
        lr.legend(overlay || maxGroups > 1);
        speed.legend(overlay);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            header(g, title);
            int w = WIDTH / 2;
            int h = (HEIGHT - HEADER) / 2;
            paint(g, loss, 0, HEADER, w, h, "no loss recorded");
            paint(g, val, w, HEADER, w, h, "no validation " + metric + " recorded");
            paint(g, lr, 0, HEADER + h, w, h, "no lr recorded");
            paint(g, speed, w, HEADER + h, w, h, "no throughput recorded");
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The val metric's name the runs share ("accuracy", "mse"), their names joined, or "metric" without any. */
    private static String metricName(List<Curve> curves) {
        List<String> names = curves.stream().flatMap(c -> c.epochs().stream()).map(EpochMetrics::headlineName)
                .filter(Objects::nonNull).distinct().toList();
        return names.isEmpty() ? "metric" : String.join(" / ", names);
    }

    private static void header(Graphics2D g, String title) {
        g.setColor(new Color(40, 40, 40));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        FontMetrics fm = g.getFontMetrics();
        String shown = title;
        while (fm.stringWidth(shown) > WIDTH - 40 && shown.length() > 1) {
            shown = shown.substring(0, shown.length() - 2) + "…";
        }
        g.drawString(shown, (WIDTH - fm.stringWidth(shown)) / 2, (HEADER + fm.getAscent()) / 2);
    }

    private static void paint(Graphics2D g, Panel panel, int x, int y, int w, int h, String whenEmpty) {
        Graphics2D box = (Graphics2D) g.create(x, y, w, h);
        try {
            panel.paint(box, w, h, whenEmpty);
        } finally {
            box.dispose();
        }
    }
}
