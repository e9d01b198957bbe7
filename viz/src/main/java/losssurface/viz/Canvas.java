package losssurface.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import losssurface.api.io.AtomicFiles;

/** A white picture with antialiased Java2D drawing and the text helpers every plot needs. */
final class Canvas {

    static final Color INK = new Color(0x22, 0x22, 0x22);
    static final Color GRID = new Color(0xdd, 0xdd, 0xdd);
    static final Color GAP = new Color(0xf0, 0xf0, 0xf0);

    final BufferedImage image;
    final Graphics2D g;

    Canvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(INK);
        g.setFont(font(14, false));
    }

    static Font font(int size, boolean bold) {
        return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size);
    }

    /** Draws {@code text} with its anchor at (x, y): ax/ay 0 = left/top, 0.5 = centre, 1 = right/bottom. */
    void text(String text, double x, double y, double ax, double ay) {
        FontMetrics fm = g.getFontMetrics();
        Rectangle2D r = fm.getStringBounds(text, g);
        g.drawString(text, (float) (x - ax * r.getWidth()), (float) (y - ay * r.getHeight() + fm.getAscent()));
    }

    /** Draws {@code text} rotated by -90 degrees (reading upwards), centred at (x, y). */
    void verticalText(String text, double x, double y) {
        Graphics2D r = (Graphics2D) g.create();
        r.translate(x, y);
        r.rotate(-Math.PI / 2);
        FontMetrics fm = r.getFontMetrics();
        r.drawString(text, (float) (-fm.stringWidth(text) / 2.0), (float) (fm.getAscent() / 2.0 - 1));
        r.dispose();
    }

    /** Text on a white, slightly transparent box (for labels over coloured areas). */
    void boxedText(String text, double x, double y) {
        FontMetrics fm = g.getFontMetrics();
        int w = fm.stringWidth(text);
        int h = fm.getAscent();
        Color c = g.getColor();
        g.setColor(new Color(255, 255, 255, 200));
        g.fillRoundRect((int) (x - w / 2.0 - 2), (int) (y - h / 2.0 - 1), w + 4, h + 2, 4, 4);
        g.setColor(c);
        g.drawString(text, (float) (x - w / 2.0), (float) (y + h / 2.0 - 2));
    }

    void stroke(float width) {
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }

    /** The title block: a bold first line and lighter further lines. */
    void title(List<String> lines, double centreX, double top) {
        double y = top;
        for (int k = 0; k < lines.size(); k++) {
            g.setFont(font(k == 0 ? 17 : 13, k == 0));
            g.setColor(k == 0 ? INK : new Color(0x55, 0x55, 0x55));
            text(lines.get(k), centreX, y, 0.5, 0);
            y += k == 0 ? 24 : 18;
        }
        g.setFont(font(14, false));
        g.setColor(INK);
    }

    /** A vertical colour bar with ticks at (x, top) of the given size. */
    void colorBar(ColorScale scale, double x, double top, double width, double height, String label, double[] levels) {
        for (int py = 0; py < (int) height; py++) {
            double t = 1 - py / (height - 1);
            g.setColor(ColorScale.viridis(levels == null ? t : band(scale, t, levels)));
            g.fillRect((int) x, (int) (top + py), (int) width, 1);
        }
        g.setColor(INK);
        stroke(1f);
        g.drawRect((int) x, (int) top, (int) width, (int) height);
        g.setFont(font(12, false));
        List<Double> ticks = scale.log() ? Ticks.log(scale.min(), scale.max()) : Ticks.of(scale.min(), scale.max(), 6);
        for (double v : ticks) {
            double t = scale.position(v);
            if (Double.isNaN(t)) {
                continue;
            }
            double py = top + (1 - t) * height;
            g.drawLine((int) (x + width), (int) py, (int) (x + width + 4), (int) py);
            text(Ticks.label(v), x + width + 7, py, 0, 0.5);
        }
        g.setFont(font(13, false));
        verticalText(label, x + width + 62, top + height / 2);
        g.setFont(font(14, false));
    }

    /**
     * The colour position of the band that scale position {@code t} falls in: bands lie between
     * consecutive levels (and the scale's ends); each is coloured at its middle.
     */
    static double band(ColorScale scale, double t, double[] levels) {
        double lower = 0;
        for (double level : levels) {
            double lt = scale.position(level);
            if (t < lt) {
                return (lower + lt) / 2;
            }
            lower = lt;
        }
        return (lower + 1) / 2;
    }

    void save(Path file) throws IOException {
        g.dispose();
        AtomicFiles.write(file, out -> ImageIO.write(image, "png", out));
    }
}
