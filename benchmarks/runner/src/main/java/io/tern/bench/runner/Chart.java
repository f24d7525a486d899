package io.tern.bench.runner;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * chart.png: one horizontal bar per charted {@link Metric}, Tern ÷ the best peer on a log scale around 1×, green
 * where Tern did better (higher or lower, as the metric goes) and red where the peer did; a ratio built on a noisy
 * window says so beside its value. Drawn with java.awt on a
 * {@link BufferedImage}, headless, and written with {@link ImageIO}.
 */
final class Chart {
    private static final int WIDTH = 1000;
    private static final int LABEL_WIDTH = 330;
    private static final int VALUE_WIDTH = 220;
    private static final int TOP = 70;
    private static final int ROW = 28;
    private static final int BOTTOM = 50;
    /** The axis spans 2^-span to 2^span; ratios beyond are drawn to the edge and labelled with their value. */
    private static final int MIN_SPAN = 2;
    private static final int MAX_SPAN = 6;
    private static final Color BETTER = new Color(0x2e7d32);
    private static final Color WORSE = new Color(0xc62828);
    private static final Color GRID = new Color(0xdddddd);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Chart() {
    }

    /** Draws the charted comparisons and writes them to {@code file} as PNG. */
    static void write(List<Comparison> comparisons, String subtitle, Path file) throws IOException {
        if (!ImageIO.write(draw(comparisons, subtitle), "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    static BufferedImage draw(List<Comparison> all, String subtitle) {
        List<Comparison> rows = all.stream().filter(c -> c.metric().charted()).toList();
        int height = TOP + Math.max(1, rows.size()) * ROW + BOTTOM;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            int span = span(rows);
            Axis axis = new Axis(LABEL_WIDTH, WIDTH - VALUE_WIDTH, span);
            title(g, subtitle);
            grid(g, axis, TOP - 6, TOP + rows.size() * ROW + 4);
            for (int i = 0; i < rows.size(); i++) {
                row(g, axis, rows.get(i), TOP + i * ROW);
            }
            if (rows.isEmpty()) {
                g.setColor(Color.DARK_GRAY);
                g.drawString("nothing to compare: Tern or every peer is missing", LABEL_WIDTH, TOP + ROW / 2);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The smallest power-of-two span that holds every ratio, within bounds. */
    private static int span(List<Comparison> rows) {
        double widest = 0;
        for (Comparison c : rows) {
            if (c.ratioToBest().isPresent() && c.ratioToBest().getAsDouble() > 0) {
                widest = Math.max(widest, Math.abs(log2(c.ratioToBest().getAsDouble())));
            }
        }
        return (int) Math.min(MAX_SPAN, Math.max(MIN_SPAN, Math.ceil(widest)));
    }

    /** Log-2 positions between {@code left} and {@code right} pixels. */
    private record Axis(int left, int right, int span) {
        int x(double ratio) {
            double clamped = Math.max(-span, Math.min(span, log2(ratio)));
            return (int) Math.round(left + (clamped + span) / (2.0 * span) * (right - left));
        }
    }

    private static void title(Graphics2D g, String subtitle) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Tern ÷ best peer, per scenario (median of per-round ratios, log scale)", 12, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        g.drawString("green: Tern better, red: the best peer better.  ↑ higher is better, ↓ lower is better.  "
                + subtitle, 12, 44);
    }

    private static void grid(Graphics2D g, Axis axis, int top, int bottom) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (int p = -axis.span(); p <= axis.span(); p++) {
            int x = axis.x(Math.pow(2, p));
            g.setColor(p == 0 ? Color.BLACK : GRID);
            g.setStroke(new BasicStroke(p == 0 ? 1.5f : 1f));
            g.drawLine(x, top, x, bottom);
            String label = p >= 0 ? (1 << p) + "×" : "1/" + (1 << -p) + "×";
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, x - fm.stringWidth(label) / 2, bottom + 16);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void row(Graphics2D g, Axis axis, Comparison c, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int baseline = y + ROW / 2 + fm.getAscent() / 2 - 2;
        String label = c.metric().scenario().id() + " · " + c.metric().label() + " " + c.metric().better().arrow;
        g.setColor(Color.BLACK);
        g.drawString(label, LABEL_WIDTH - 10 - fm.stringWidth(label), baseline);
        if (c.ratioToBest().isEmpty() || !(c.ratioToBest().getAsDouble() > 0)) {
            g.setColor(Color.GRAY);
            g.drawString("n/a", axis.x(1) + 6, baseline);
            return;
        }
        double ratio = c.ratioToBest().getAsDouble();
        int one = axis.x(1);
        int end = axis.x(ratio);
        g.setColor(c.ternBetter() ? BETTER : WORSE);
        g.fillRect(Math.min(one, end), y + 5, Math.max(2, Math.abs(end - one)), ROW - 10);
        String value = String.format(Locale.ROOT, "%.2f× vs %s%s", ratio, c.bestPeer(), c.markers());
        g.setColor(Color.BLACK);
        g.drawString(value, Math.max(one, end) + 6, baseline);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
