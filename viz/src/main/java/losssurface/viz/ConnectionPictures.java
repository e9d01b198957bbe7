package losssurface.viz;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import losssurface.api.Connection;
import losssurface.runs.ConnectionFolder;

/**
 * The picture of a connection ({@value ConnectionFolder#PICTURE}): each metric along the straight line
 * and the trained curve from the first solution (t = 0) to the second (t = 1), one panel per metric,
 * the barrier heights in the title.
 */
final class ConnectionPictures {

    private static final List<Color> COLORS = List.of(new Color(0xd6, 0x27, 0x28), LinePlot.FIRST);

    private final PngOptions options;

    ConnectionPictures(PngOptions options) {
        this.options = options;
    }

    Path draw(Connection.Result result, Path dir) throws IOException {
        List<Connection.Path> paths = result.paths();
        List<String> metrics = new ArrayList<>(paths.get(0).metrics().keySet());
        if (metrics.size() > 2) {
            metrics = metrics.subList(0, 2);
        }
        int panel = 460;
        Canvas c = new Canvas(Math.max(options.width(), 60 + metrics.size() * (panel + 90)), (int) (options.height() * 0.72));
        List<String> title = new ArrayList<>();
        title.add(result.first() + " \u2194 " + result.second());
        List<String> barriers = new ArrayList<>();
        for (Connection.Path p : paths) {
            barriers.add(String.format(Locale.ROOT, "%s barrier %s (at t %.2f)", label(p), Ticks.label(p.barrier()), p.peak()));
        }
        title.add(String.join("; ", barriers) + " \u2014 barrier: the largest loss minus the mean of the ends'");
        c.title(title, c.image.getWidth() / 2.0, 14);
        double x = 100;
        for (String metric : metrics) {
            List<LinePlot.Series> series = new ArrayList<>();
            for (Connection.Path p : paths) {
                double[] v = p.metrics().get(metric);
                series.add(new LinePlot.Series(label(p), v, metric.equals(metrics.get(0)) && options.logFor(all(paths, metric))));
            }
            LinePlot.drawShared(c, paths.get(0).t(), "t (0: the first solution, 1: the second)", metric, series,
                    COLORS, x, 80, panel, c.image.getHeight() - 150);
            x += panel + 110;
        }
        Path file = dir.resolve(ConnectionFolder.PICTURE);
        c.save(file);
        return file;
    }

    static String label(Connection.Path p) {
        return p.name().equals(Connection.LINE) ? "straight line" : "B\u00e9zier curve";
    }

    private static double[] all(List<Connection.Path> paths, String metric) {
        return paths.stream().flatMapToDouble(p -> java.util.Arrays.stream(p.metrics().get(metric))).toArray();
    }
}
