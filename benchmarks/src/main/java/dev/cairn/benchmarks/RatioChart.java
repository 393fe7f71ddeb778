package dev.cairn.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A horizontal bar chart (PNG) of Cairn-vs-Flink ratios, one bar per benchmark row, on a log scale from 1/4× to
 * 4×: green where Cairn is faster, red where it is slower, with lines at 1× (par) and 1.3× (#9's target). Drawn
 * with the JDK's Java2D, headless.
 */
final class RatioChart {
    private static final int ROW = 18;
    private static final int LABEL_WIDTH = 640;
    private static final int PLOT_WIDTH = 420;
    private static final int MARGIN = 12;
    private static final double LOG_RANGE = Math.log(4);

    private RatioChart() {}

    static void write(Map<String, Double> ratios, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int height = MARGIN * 2 + ROW * (ratios.size() + 1);
        BufferedImage image =
                new BufferedImage(LABEL_WIDTH + PLOT_WIDTH + MARGIN * 2, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        g.drawString(
                "Cairn vs Flink 2.x (log scale, 0.25x to 4x; right of the line: Cairn faster)", MARGIN, MARGIN + 11);
        int zero = LABEL_WIDTH + MARGIN + PLOT_WIDTH / 2;
        int y = MARGIN + ROW;
        for (Map.Entry<String, Double> row : ratios.entrySet()) {
            double ratio = row.getValue();
            int end = x(ratio, zero);
            g.setColor(ratio >= 1 ? new Color(0x2e7d32) : new Color(0xc62828));
            g.fillRect(Math.min(zero, end), y + 3, Math.abs(end - zero), ROW - 6);
            g.setColor(Color.BLACK);
            g.drawString(row.getKey(), MARGIN, y + ROW - 5);
            g.drawString(String.format(Locale.ROOT, "%.2fx", ratio), Math.max(zero, end) + 3, y + ROW - 5);
            y += ROW;
        }
        g.setColor(Color.DARK_GRAY);
        g.drawLine(zero, MARGIN + ROW, zero, height - MARGIN);
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {4, 4}, 0));
        int target = x(1.3, zero);
        g.drawLine(target, MARGIN + ROW, target, height - MARGIN);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** The bar end for {@code ratio}: log scale, 1x at {@code zero}, clipped to 1/4x..4x. */
    private static int x(double ratio, int zero) {
        double position = Math.max(-1, Math.min(1, Math.log(ratio) / LOG_RANGE));
        return zero + (int) Math.round(position * (PLOT_WIDTH / 2 - 40));
    }
}
