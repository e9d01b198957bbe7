package losssurface.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * How two solutions of one network are connected (mode connectivity): the objective along the straight
 * line between them, and along a quadratic Bézier curve whose bend is trained so that the whole curve
 * has a low training loss, by the method of Garipov et al. 2018 ("Loss Surfaces, Mode Connectivity, and
 * Fast Ensembling of DNNs", dnn-mode-connectivity):
 * <ul>
 *   <li>the curve is {@code phi(t) = (1-t)^2 a + 2t(1-t) theta + t^2 b}, the ends fixed at the two
 *   solutions, the bend {@code theta} starting at their midpoint (the straight line);</li>
 *   <li>each minibatch draws its own {@code t} uniformly from [0, 1] and takes a step of SGD with
 *   momentum on {@code L_batch(phi(t))}, whose gradient in the bend is {@code 2t(1-t)} times the
 *   loss's gradient at {@code phi(t)};</li>
 *   <li>the step size is the paper's schedule: constant for the first half of the epochs, then
 *   falling linearly to 1% of it at 90%, then constant.</li>
 * </ul>
 * The barrier of a path is its largest loss minus the mean of its two ends' losses (0 or less: no
 * barrier). Both paths are evaluated on the same objective (the one the runs' surfaces show).
 */
public final class Connection {

    private Connection() {
    }

    /** The file of the bend, the curve's middle control point, in the layout's order. */
    public static final String CURVE = "curve";
    /** The path names. */
    public static final String LINE = "line";
    public static final String BEZIER = "bezier";

    /**
     * What a curve trains on: the task's training data in minibatches, with the loss and its gradient
     * at any parameters. Not thread-safe.
     */
    public interface Batches {
        /** Minibatches in one pass over the data. */
        int count();

        /**
         * The mean loss over minibatch {@code batch} at {@code parameters}, with its gradient written to
         * {@code gradient} (in the layout's order).
         */
        double lossAndGradient(float[] parameters, int batch, float[] gradient);

        /** The data, in words, e.g. "the 60000 MNIST training images in minibatches of 128". */
        String description();
    }

    /**
     * The settings of {@code connect}.
     *
     * @param points       points along each path, both ends included (default 31)
     * @param epochs       passes over the training data to fit the bend (default 4)
     * @param batch        examples per minibatch (default 128)
     * @param learningRate SGD's step size before the schedule (default 0.05)
     * @param momentum     SGD's momentum (default 0.9, as the paper)
     * @param seed         the seed of each minibatch's t and of the batch order; empty: the run seed
     */
    public record Config(int points, int epochs, int batch, double learningRate, double momentum, OptionalLong seed) {
        public Config {
            Objects.requireNonNull(seed, "seed");
            Check.between("connect.points", 3, 100_000, points);
            Check.between("connect.epochs", 0, 100_000, epochs);
            Check.between("connect.batch", 1, 10_000_000, batch);
            Check.between("connect.learning-rate", 1e-12, 1e6, learningRate);
            Check.between("connect.momentum", 0.0, 0.999, momentum);
        }

        /** Reads {@code connect.points}, {@code .epochs}, {@code .batch}, {@code .learning-rate}, {@code .momentum}, {@code .seed}. */
        public static Config read(Settings settings) {
            return new Config(settings.integer("connect.points", 31), settings.integer("connect.epochs", 4),
                    settings.integer("connect.batch", 128), settings.decimal("connect.learning-rate", 0.05),
                    settings.decimal("connect.momentum", 0.9), settings.optionalLong("connect.seed", "the run seed"));
        }
    }

    /** The paper's step-size factor at the start of epoch {@code epoch} of {@code epochs}. */
    static double schedule(int epoch, int epochs) {
        double alpha = (double) epoch / epochs;
        if (alpha <= 0.5) {
            return 1.0;
        }
        if (alpha <= 0.9) {
            return 1.0 - (alpha - 0.5) / 0.4 * 0.99;
        }
        return 0.01;
    }

    /** The point of the quadratic Bézier curve with ends {@code a}, {@code b} and bend {@code bend} at {@code t}, into {@code out}. */
    public static void onCurve(float[] a, float[] bend, float[] b, double t, float[] out) {
        double ca = (1 - t) * (1 - t);
        double cm = 2 * t * (1 - t);
        double cb = t * t;
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (ca * a[i] + cm * bend[i] + cb * b[i]);
        }
    }

    /** The point of the straight line from {@code a} to {@code b} at {@code t}, into {@code out}. */
    public static void onLine(float[] a, float[] b, double t, float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((1 - t) * a[i] + t * b[i]);
        }
    }

    /**
     * How the bend was trained.
     *
     * @param bend      the trained bend
     * @param steps     SGD steps taken
     * @param losses    the mean minibatch loss on the curve in each epoch
     * @param seconds   the time it took
     * @param data      what it trained on
     */
    public record Fit(float[] bend, int steps, double[] losses, double seconds, String data) {
        public Fit {
            bend = bend.clone();
            losses = losses.clone();
        }

        @Override
        public float[] bend() {
            return bend.clone();
        }

        @Override
        public double[] losses() {
            return losses.clone();
        }
    }

    /**
     * Trains the bend of the curve from {@code a} to {@code b} on {@code data}, Garipov et al.'s way (see
     * the class comment).
     */
    public static Fit fit(float[] a, float[] b, Batches data, Config config, long seed, Progress progress) {
        requireSameSize(a, b);
        int n = a.length;
        float[] bend = new float[n];
        onLine(a, b, 0.5, bend);
        double[] velocity = new double[n];
        float[] point = new float[n];
        float[] gradient = new float[n];
        SplittableRandom random = new SplittableRandom(seed);
        int batches = data.count();
        double[] losses = new double[config.epochs()];
        long t0 = System.nanoTime();
        int steps = 0;
        try (Progress.Meter meter = progress.meter("Fitting the curve", (long) config.epochs() * batches, "batches")) {
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                double rate = config.learningRate() * schedule(epoch, config.epochs());
                int[] order = permutation(batches, random);
                double sum = 0;
                for (int k = 0; k < batches; k++) {
                    double t = random.nextDouble();
                    onCurve(a, bend, b, t, point);
                    double loss = data.lossAndGradient(point, order[k], gradient);
                    if (!Double.isFinite(loss)) {
                        throw new LossSurfaceException(String.format(Locale.ROOT, "The curve's training loss became %s at epoch %d,"
                                + " step %d (t = %.3f). Lower connect.learning-rate (now %s).", loss, epoch + 1, k + 1, t,
                                config.learningRate()));
                    }
                    sum += loss;
                    double scale = 2 * t * (1 - t);
                    for (int i = 0; i < n; i++) {
                        velocity[i] = config.momentum() * velocity[i] + scale * gradient[i];
                        bend[i] -= (float) (rate * velocity[i]);
                    }
                    steps++;
                    if (k % 20 == 0 || k == batches - 1) {
                        meter.update((long) epoch * batches + k + 1, String.format(Locale.ROOT, "epoch %d, loss %.4g",
                                epoch + 1, sum / (k + 1)));
                    }
                }
                losses[epoch] = sum / batches;
            }
        }
        return new Fit(bend, steps, losses, (System.nanoTime() - t0) / 1e9, data.description());
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int s = p[i];
            p[i] = p[j];
            p[j] = s;
        }
        return p;
    }

    /**
     * The objective along one path.
     *
     * @param name    {@value #LINE} or {@value #BEZIER}
     * @param t       the path's parameter at each point, 0 (the first solution) to 1 (the second)
     * @param metrics every metric of the objective at each point, the loss first
     */
    public record Path(String name, double[] t, Map<String, double[]> metrics) {
        public Path {
            Objects.requireNonNull(name, "name");
            t = t.clone();
            int points = t.length;
            Map<String, double[]> copy = new LinkedHashMap<>();
            metrics.forEach((k, v) -> {
                if (v.length != points) {
                    throw new IllegalArgumentException("metric " + k + " has " + v.length + " values for " + points + " points");
                }
                copy.put(k, v.clone());
            });
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("a path needs at least one metric");
            }
            metrics = java.util.Collections.unmodifiableMap(copy);
        }

        @Override
        public double[] t() {
            return t.clone();
        }

        /** The loss (the first metric) along the path. */
        public double[] loss() {
            return metrics.values().iterator().next().clone();
        }

        /** The largest loss on the path minus the mean of its ends' losses; NaN when a point's loss is not finite. */
        public double barrier() {
            double[] l = loss();
            double top = Double.NEGATIVE_INFINITY;
            for (double v : l) {
                if (!Double.isFinite(v)) {
                    return Double.NaN;
                }
                top = Math.max(top, v);
            }
            return top - (l[0] + l[l.length - 1]) / 2;
        }

        /** Where on the path ({@code t}) the loss is largest. */
        public double peak() {
            double[] l = loss();
            int k = 0;
            for (int i = 1; i < l.length; i++) {
                if (l[i] > l[k]) {
                    k = i;
                }
            }
            return t[k];
        }
    }

    /** Evaluates {@code objective} at {@code points} evenly spaced points of a path, ends included. */
    public static Path evaluate(String name, Objective objective, int points, java.util.function.BiConsumer<Double, float[]> path,
                                int size, Progress progress) {
        double[] ts = new double[points];
        List<double[]> values = new ArrayList<>();
        float[] p = new float[size];
        try (Progress.Meter meter = progress.meter("Evaluating the " + (name.equals(LINE) ? "straight line" : "curve"), points, "points")) {
            for (int k = 0; k < points; k++) {
                ts[k] = (double) k / (points - 1);
                path.accept(ts[k], p);
                values.add(objective.evaluate(p));
                meter.update(k + 1, String.format(Locale.ROOT, "t %.2f, %s %.4g", ts[k], objective.metrics().get(0), values.get(k)[0]));
            }
        }
        Map<String, double[]> metrics = new LinkedHashMap<>();
        for (int m = 0; m < objective.metrics().size(); m++) {
            double[] v = new double[points];
            for (int k = 0; k < points; k++) {
                v[k] = values.get(k)[m];
            }
            metrics.put(objective.metrics().get(m), v);
        }
        return new Path(name, ts, metrics);
    }

    /**
     * A connection between two solutions.
     *
     * @param first     the first solution's name (a run folder's, or a file's)
     * @param second    the second's
     * @param objective what the paths are evaluated on (the objective's description)
     * @param a         the first solution's parameters
     * @param b         the second's
     * @param line      the objective along the straight line
     * @param curve     the objective along the trained Bézier curve, or null when none was fitted
     * @param fit       how the curve was trained, or null
     * @param distance  the Euclidean distance between the two solutions
     * @param info      settings and anything else to record
     */
    public record Result(String first, String second, String objective, float[] a, float[] b, Path line, Path curve, Fit fit,
                         double distance, Map<String, Object> info) {
        public Result {
            Objects.requireNonNull(line, "line");
            requireSameSize(a, b);
            a = a.clone();
            b = b.clone();
            info = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
        }

        /** The paths drawn: the line, and the curve where fitted. */
        public List<Path> paths() {
            return curve == null ? List.of(line) : List.of(line, curve);
        }
    }

    /** The Euclidean distance between two vectors. */
    public static double distance(float[] a, float[] b) {
        requireSameSize(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static void requireSameSize(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new LossSurfaceException("The two solutions have " + a.length + " and " + b.length
                    + " parameters: they are not of one network. Connect solutions of the same network.");
        }
    }
}
