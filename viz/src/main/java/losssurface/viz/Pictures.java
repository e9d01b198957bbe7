package losssurface.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import losssurface.api.Axis;
import losssurface.api.RunResult;
import losssurface.api.Surface;
import losssurface.api.TrainingHistory;
import losssurface.api.NamedArray;
import losssurface.api.Cliffs;
import losssurface.api.Curvature;
import losssurface.api.Sharpness;
import losssurface.api.io.Npy;
import losssurface.runs.RunFolder;

/** The PNG pictures of a run: per metric a 3D surface and a contour map (planes) or a line (lines), and training curves. */
final class Pictures {

    private final PngOptions options;

    Pictures(PngOptions options) {
        this.options = options;
    }

    List<Path> write(RunResult run, Path dir) throws IOException {
        Surface s = run.surface();
        List<Path> files = new ArrayList<>();
        String who = run.provenance().task() + " \u00b7 " + run.provenance().trainer() + " \u00b7 " + run.provenance().probe();
        if (s.isPlane()) {
            for (String metric : s.metrics()) {
                if (metric.equals(Cliffs.METRIC)) {
                    continue; // marked on the return's contour map instead
                }
                Plane plane = plane(s, metric);
                files.add(surface3d(plane, who, RunFolder.surfacePicture(dir, metric)));
                files.add(contour(plane, who, RunFolder.contourPicture(dir, metric)));
            }
        } else {
            files.add(line(s, who, dir.resolve(RunFolder.LINE_PICTURE)));
        }
        TrainingHistory history = run.model().history();
        if (!history.series().isEmpty()) {
            files.add(training(history, who, dir.resolve(RunFolder.TRAINING_PICTURE)));
        }
        density(run, dir).ifPresent(esd -> {
            try {
                files.add(DensityPlot.draw(esd, who, topEigenvalues(s), dir.resolve(RunFolder.DENSITY_PICTURE)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return files;
    }

    /** The run's spectral density ({@code esd.npy}: among its artefacts, or in the folder drawn again), where measured. */
    private static java.util.Optional<double[]> density(RunResult run, Path dir) throws IOException {
        NamedArray esd = run.model().artefacts().get(Curvature.DENSITY);
        Path file = RunFolder.npy(dir, Curvature.DENSITY);
        if (esd == null && java.nio.file.Files.isRegularFile(file)) {
            esd = Npy.read(file);
        }
        return esd != null && esd.values() instanceof double[] d && d.length >= 4 ? java.util.Optional.of(d) : java.util.Optional.empty();
    }

    private static double[] topEigenvalues(Surface s) {
        return s.info().get(Surface.CURVATURE) instanceof Map<?, ?> m && m.get("eigenvalues") instanceof List<?> l
                ? l.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray() : new double[0];
    }

    /** {@code metric} of a plane surface, ready to draw; the return's map marks the cliffs where they were found. */
    static Plane plane(Surface s, String metric) {
        Axis a = s.axes().get(0);
        Axis b = s.axes().get(1);
        return new Plane(a.values(), b.values(), s.grid(metric), a.label(), b.label(), metric, s.trajectory(),
                metric.equals(Sharpness.RETURN) ? cliffs(s) : List.of());
    }

    /** The coordinates of the points {@link Cliffs#METRIC} marks, where the surface has that grid. */
    static List<double[]> cliffs(Surface s) {
        if (!s.metrics().contains(Cliffs.METRIC)) {
            return List.of();
        }
        double[] marked = s.grid(Cliffs.METRIC);
        double[] as = s.axes().get(0).values();
        double[] bs = s.isPlane() ? s.axes().get(1).values() : new double[] {0};
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < as.length; i++) {
            for (int j = 0; j < bs.length; j++) {
                if (marked[i * bs.length + j] > 0) {
                    out.add(new double[] {as[i], bs[j]});
                }
            }
        }
        return out;
    }

    private ColorScale scale(Plane plane) {
        return ColorScale.of(plane.values(), options.vmax(), options.logFor(plane.values()));
    }

    static boolean positive(double[] values) {
        for (double v : values) {
            if (Double.isFinite(v) && v > 0) {
                return true;
            }
        }
        return false;
    }

    List<String> titles(String who, Plane plane, String view, ColorScale scale) {
        List<String> lines = new ArrayList<>();
        lines.add(plane.metric() + " " + view + " \u2014 " + who);
        StringBuilder sub = new StringBuilder();
        long bad = plane.nonFinite();
        if (bad > 0) {
            sub.append(bad).append(" of ").append(plane.values().length).append(" cells NaN/inf (gaps); ");
        }
        if (scale.log()) {
            sub.append("log scale; ");
        }
        if (!Double.isNaN(options.vmax())) {
            sub.append("clipped at ").append(Ticks.label(options.vmax())).append("; ");
        }
        sub.append(String.format(Locale.ROOT, "%d x %d grid, min %s", plane.xs().length, plane.ys().length, Ticks.label(min(plane.values()))));
        lines.add(sub.toString());
        return lines;
    }

    Path surface3d(Plane plane, String who, Path file) throws IOException {
        Canvas c = new Canvas(options.width(), options.height());
        ColorScale scale = scale(plane);
        c.title(titles(who, plane, "surface", scale), options.width() / 2.0, 14);
        double top = 70;
        double bottom = options.height() - 30;
        double barW = 18;
        SurfacePlot3D.draw(c, plane, scale, options.elevation(), options.azimuth(), 60, top, options.width() - 230, bottom - top);
        c.colorBar(scale, options.width() - 130, top + 40, barW, bottom - top - 80, plane.metric(), null);
        c.save(file);
        return file;
    }

    Path contour(Plane plane, String who, Path file) throws IOException {
        Canvas c = new Canvas(options.width(), options.height());
        ColorScale scale = scale(plane);
        double[] levels = Contours.levels(scale, options.levels());
        c.title(titles(who, plane, "contours", scale), options.width() / 2.0, 14);
        double top = 72;
        double left = 90;
        double height = options.height() - top - 70;
        double width = Math.min(options.width() - left - 150, height * 1.25);
        left = (options.width() - 150 - width) / 2 + 30;
        ContourPlot.draw(c, plane, scale, levels, left, top, width, height);
        c.colorBar(scale, left + width + 24, top, 18, height, plane.metric(), levels);
        c.save(file);
        return file;
    }

    Path line(Surface s, String who, Path file) throws IOException {
        Canvas c = new Canvas(options.width(), (int) (options.height() * 0.75));
        List<String> metrics = s.metrics();
        double[] xs = s.axes().get(0).values();
        double[] first = s.grid(metrics.get(0));
        LinePlot.Series left = new LinePlot.Series(metrics.get(0), first, options.logFor(first));
        LinePlot.Series right = metrics.size() > 1 ? new LinePlot.Series(metrics.get(1), s.grid(metrics.get(1)), false) : null;
        long bad = java.util.Arrays.stream(first).filter(v -> !Double.isFinite(v)).count();
        List<String> title = new ArrayList<>();
        title.add(metrics.get(0) + (right != null ? " and " + right.name() : "") + " along the line \u2014 " + who);
        title.add(xs.length + " points" + (bad > 0 ? "; " + bad + " NaN/inf points (gaps)" : "")
                + String.format(Locale.ROOT, "; min %s", Ticks.label(min(first))));
        c.title(title, c.image.getWidth() / 2.0, 14);
        boolean markZero = !"interpolate".equals(s.info().get("method"));
        LinePlot.draw(c, xs, s.axes().get(0).label(), left, right, markZero, 100, 70, c.image.getWidth() - 200,
                c.image.getHeight() - 140);
        c.save(file);
        return file;
    }

    Path training(TrainingHistory history, String who, Path file) throws IOException {
        Map<String, double[]> series = history.series();
        int n = series.size();
        int panelW = 380;
        Canvas c = new Canvas(Math.max(options.width(), 60 + n * (panelW + 60)), 420);
        List<String> title = List.of("training curves \u2014 " + who);
        c.title(title, c.image.getWidth() / 2.0, 14);
        double x = 80;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] v = e.getValue();
            double[] xs = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                xs[i] = i + 1;
            }
            if (v.length < 2) {
                continue;
            }
            boolean log = e.getKey().contains("loss") && positive(v) && min(v) > 0;
            LinePlot.draw(c, xs, history.xLabel(), new LinePlot.Series(e.getKey(), v, log), null, false, x, 60, panelW - 40, 290);
            x += panelW + 60;
        }
        c.save(file);
        return file;
    }

    static double min(double[] values) {
        double m = Double.NaN;
        for (double v : values) {
            if (Double.isFinite(v) && (Double.isNaN(m) || v < m)) {
                m = v;
            }
        }
        return m;
    }
}
