package losssurface.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import losssurface.api.Connection;
import losssurface.api.NamedArray;
import losssurface.api.io.Npy;

/**
 * The numbers of a {@code connect} folder: {@value #JSON} (both paths' points and every metric along
 * them, their barrier heights, how the curve was fitted) and {@code curve.npy} (the curve's bend, in
 * the layout's order), so that anyone can rebuild the curve: {@code phi(t) = (1-t)^2 a + 2t(1-t) bend + t^2 b}.
 */
public final class ConnectionFolder {

    private ConnectionFolder() {
    }

    /** The numbers' file. */
    public static final String JSON = "connect.json";
    /** The picture of the loss along both paths. */
    public static final String PICTURE = "connect.png";
    static final String FORMAT = "losssurface-connect/1";

    /** What a barrier is, in words, for files and pages. */
    public static final String BARRIER = "the largest loss on the path minus the mean of its two ends' losses";

    /** Writes {@value #JSON} and, where a curve was fitted, {@code curve.npy} into {@code dir}. */
    public static List<Path> write(Connection.Result result, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(RunFolder.writeJson(dir.resolve(JSON), json(result)));
        if (result.fit() != null) {
            Path curve = RunFolder.npy(dir, Connection.CURVE);
            float[] bend = result.fit().bend();
            Npy.write(curve, new NamedArray(new int[] {bend.length}, bend));
            files.add(curve);
        }
        return files;
    }

    /** The contents of {@value #JSON}. */
    public static Map<String, Object> json(Connection.Result result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("first", result.first());
        m.put("second", result.second());
        m.put("objective", result.objective());
        m.put("distance", result.distance());
        Map<String, Object> barriers = new LinkedHashMap<>();
        result.paths().forEach(p -> barriers.put(p.name(), finiteOrNull(p.barrier())));
        m.put("barriers", barriers);
        m.put("barrier-about", BARRIER + "; null: a point's loss is not finite");
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Connection.Path p : result.paths()) {
            Map<String, Object> path = new LinkedHashMap<>();
            path.put("t", p.t());
            p.metrics().forEach((k, v) -> path.put(k, SurfaceFile.finiteOrNull(v)));
            path.put("barrier", finiteOrNull(p.barrier()));
            path.put("peak-t", p.peak());
            paths.put(p.name(), path);
        }
        m.put("paths", paths);
        if (result.fit() != null) {
            Connection.Fit fit = result.fit();
            Map<String, Object> curve = new LinkedHashMap<>();
            curve.put("kind", "quadratic Bezier curve, its bend trained on minibatches at t drawn uniformly from [0, 1]"
                    + " (Garipov et al. 2018)");
            curve.put("formula", "phi(t) = (1-t)^2 a + 2t(1-t) bend + t^2 b");
            curve.put("bend-file", RunFolder.fileName(Connection.CURVE) + ".npy");
            curve.put("trained-on", fit.data());
            curve.put("steps", fit.steps());
            curve.put("epoch-losses", fit.losses());
            curve.put("seconds", fit.seconds());
            m.put("curve", curve);
        }
        m.put("info", result.info());
        return m;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
