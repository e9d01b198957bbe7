package losssurface.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Random;


import losssurface.api.curvature.HessianOperator;
import losssurface.api.curvature.Hutchinson;
import losssurface.api.curvature.Lanczos;

/**
 * The curvature of an objective at a point, as one measurement that the {@code hessian} probe and
 * the run's curvature analysis ({@code curvature=on}) share: the top-k eigenvalues and their
 * eigenvectors by Lanczos with full reorthogonalisation, the trace and each parameter block's by
 * Hutchinson's estimator, and the spectral density by stochastic Lanczos quadrature. The Hessian
 * is over the parameters: running statistics (state) are never moved.
 *
 * <p>Products are exact where the objective makes them ({@link Objective#hessian}) and
 * {@code products} allows it, else central differences of its gradient,
 * {@code H v ~ (g(theta + h v) - g(theta - h v)) / 2h} (exact for quadratics). An objective with
 * neither (an ONNX model: its runtime gives no gradients) is refused with a sentence that says so.
 */
public final class Curvature {

    /** How the Hessian-vector products are made. */
    public enum Products {
        /** Central differences of gradients (two gradients a product). */
        DIFFERENCES,
        /** The objective's exact products; an objective without them is an error. */
        EXACT,
        /** Exact where the objective makes them, else differences. */
        AUTO;

        /** The setting's value naming it. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Hutchinson's estimate takes at least this many products, so that its standard error means something. */
    public static final int MIN_TRACE_SAMPLES = 10;
    /** Points of the density's grid in {@code esd.npy}. */
    public static final int DENSITY_POINTS = 1000;
    /** The file of the eigenvectors, {@code [k, parameters]}. */
    public static final String EIGENVECTORS = "eigenvectors";
    /** The file of the spectral density, {@code [points, 2]}: eigenvalue, density. */
    public static final String DENSITY = "esd";

    /**
     * What to measure, read from settings with one prefix ({@code hessian.} for the probe, {@code curvature.} for the analysis).
     *
     * @param iterations     Lanczos steps, one product each (default 30; at most the parameters)
     * @param k              eigenvalues reported and eigenvectors kept (default 5)
     * @param traceSamples   at most this many Hutchinson products (default 100; 0: no trace)
     * @param traceTolerance stop once the trace's standard error is this fraction of it (0.02)
     * @param densityVectors stochastic Lanczos quadrature runs of {@code iterations} steps each (default 1, as PyHessian; 0: no density)
     * @param step           h of the central differences, along a unit vector (0.01)
     * @param products       differences, exact or auto (default)
     * @param seed           the start vectors' seed; empty: the run seed
     */
    public record Config(int iterations, int k, int traceSamples, double traceTolerance, int densityVectors, double step,
                         Products products, OptionalLong seed) {
        public Config {
            Objects.requireNonNull(products, "products");
            Objects.requireNonNull(seed, "seed");
            if (iterations < 2 || k < 1 || traceSamples < 0 || densityVectors < 0 || !(traceTolerance >= 0) || !(step > 0)) {
                throw new IllegalArgumentException("iterations >= 2, k >= 1, trace samples and density vectors >= 0, tolerance >= 0"
                        + " and step > 0 are needed; were " + iterations + ", " + k + ", " + traceSamples + ", " + densityVectors
                        + ", " + traceTolerance + " and " + step);
            }
        }

        /** Reads {@code prefix.iterations}, {@code .k}, {@code .trace-samples}, {@code .trace-tolerance}, {@code .density}, {@code .step}, {@code .products}, {@code .seed}. */
        public static Config read(Settings settings, String prefix) {
            return new Config(
                    Check.between(prefix + ".iterations", 2, 10_000, settings.integer(prefix + ".iterations", 30)),
                    Check.between(prefix + ".k", 1, 1_000, settings.integer(prefix + ".k", 5)),
                    Check.between(prefix + ".trace-samples", 0, 100_000, settings.integer(prefix + ".trace-samples", 100)),
                    Check.between(prefix + ".trace-tolerance", 0.0, 1.0, settings.decimal(prefix + ".trace-tolerance", 0.02)),
                    Check.between(prefix + ".density", 0, 1_000, settings.integer(prefix + ".density", 1)),
                    Check.between(prefix + ".step", 1e-9, 10.0, settings.decimal(prefix + ".step", 1e-2)),
                    Products.valueOf(settings.choice(prefix + ".products", "auto", java.util.Set.of("differences", "exact", "auto"))
                            .toUpperCase(Locale.ROOT)),
                    settings.optionalLong(prefix + ".seed", "the run seed"));
        }
    }

    /**
     * What was measured.
     *
     * @param eigenvalues  the top eigenvalues, descending
     * @param eigenvectors their unit eigenvectors
     * @param trace        Hutchinson's estimate, or null when not asked for
     * @param blockNames   the parameter blocks of {@code trace}'s block traces, in order
     * @param density      the density's grid and values ({@code [points][2]}), or null when not asked for
     * @param method       how the products were made
     * @param steps        Lanczos steps
     * @param products     products made in all
     * @param seconds      the time they took
     * @param setupSeconds the time the products took to set up before the first (exact ones: the point's forward and
     *                     backward pass, kept for the products; differences: none)
     * @param gradientSeconds the time of one of the objective's gradients at the point, for the products' cost in
     *                     gradients; NaN where it has none
     */
    public record Result(double[] eigenvalues, double[][] eigenvectors, Hutchinson.Estimate trace, List<String> blockNames,
                         double[][] density, String method, int steps, int products, double seconds, double setupSeconds,
                         double gradientSeconds) {

        /** The numbers as {@code surface.json}'s {@code "curvature"} object writes them. */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eigenvalues", Arrays.stream(eigenvalues).boxed().toList());
            if (trace != null) {
                m.put("trace", trace.trace());
                m.put("trace-stderr", trace.stderr());
                m.put("trace-samples", trace.samples());
                Map<String, Double> blocks = new LinkedHashMap<>();
                for (int b = 0; b < blockNames.size(); b++) {
                    blocks.put(blockNames.get(b), trace.blockTrace()[b]);
                }
                m.put("block-trace", blocks);
            }
            m.put("method", method);
            m.put("lanczos-steps", steps);
            m.put("products", products);
            m.put("seconds", seconds);
            m.put("seconds-per-product", products == 0 ? null : seconds / products);
            m.put("setup-seconds", setupSeconds);
            if (Double.isFinite(gradientSeconds)) {
                m.put("gradient-seconds", gradientSeconds);
                m.put("gradients-per-product", products == 0 ? null : seconds / products / gradientSeconds);
            }
            List<String> files = new ArrayList<>(List.of(EIGENVECTORS + ".npy"));
            if (density != null) {
                files.add(DENSITY + ".npy");
            }
            m.put("files", files);
            return m;
        }

        /** The arrays a run folder keeps: the eigenvectors, and the density where measured. */
        public Map<String, NamedArray> arrays() {
            Map<String, NamedArray> arrays = new LinkedHashMap<>();
            int n = eigenvectors.length == 0 ? 0 : eigenvectors[0].length;
            float[] v = new float[eigenvectors.length * n];
            for (int j = 0; j < eigenvectors.length; j++) {
                for (int i = 0; i < n; i++) {
                    v[j * n + i] = (float) eigenvectors[j][i];
                }
            }
            arrays.put(EIGENVECTORS, new NamedArray(new int[] {eigenvectors.length, n}, v));
            if (density != null) {
                double[] d = new double[density.length * 2];
                for (int g = 0; g < density.length; g++) {
                    d[2 * g] = density[g][0];
                    d[2 * g + 1] = density[g][1];
                }
                arrays.put(DENSITY, new NamedArray(new int[] {density.length, 2}, d));
            }
            return arrays;
        }
    }

    private Curvature() {
    }

    /**
     * The products of {@code objective}'s Hessian at {@code theta}, as {@code products} asks.
     *
     * @throws LossSurfaceException when the objective cannot make them, saying why and what to use instead
     */
    public static HessianOperator products(Objective objective, float[] theta, Products products, double step, String key) {
        HessianOperator exact = products == Products.DIFFERENCES ? null : objective.hessian(theta).orElse(null);
        if (exact == null && products == Products.EXACT) {
            throw new LossSurfaceException(key + " is exact, but this objective (" + objective.description()
                    + ") makes no exact Hessian-vector products (a DL4J multilayer perceptron scored by softmax cross-entropy or"
                    + " MSE does, and a Q-network's TD loss with the frozen target). Use " + key + "=auto (central differences of"
                    + " gradients where the products are not exact).");
        }
        if (exact != null) {
            return exact;
        }
        if (!objective.hasGradient()) {
            throw new LossSurfaceException("The curvature needs gradients, and this objective (" + objective.description()
                    + ") has none (an ONNX model's runtime gives none; a greedy return is not differentiable). The random-direction"
                    + " estimates need no gradients: the sharpness numbers every surface reports (average-direction sharpness and"
                    + " basin radius in surface.json's \"sharpness\"), or random-plane and random-line surfaces.");
        }
        return differences(objective, theta, step);
    }

    /** Products by central differences of the objective's gradient at {@code theta}, step h along v. */
    static HessianOperator differences(Objective objective, float[] theta, double h) {
        return new HessianOperator() {
            @Override
            public int dimension() {
                return theta.length;
            }

            @Override
            public void apply(double[] v, double[] out) {
                float[] plus = new float[theta.length];
                float[] minus = new float[theta.length];
                for (int i = 0; i < theta.length; i++) {
                    plus[i] = (float) (theta[i] + h * v[i]);
                    minus[i] = (float) (theta[i] - h * v[i]);
                }
                float[] gp = objective.gradient(plus);
                float[] gm = objective.gradient(minus);
                for (int i = 0; i < theta.length; i++) {
                    out[i] = (gp[i] - (double) gm[i]) / (2 * h);
                }
            }

            @Override
            public String method() {
                return "central differences of gradients, step " + h;
            }
        };
    }

    /**
     * Measures the curvature of {@code objective} at {@code theta}, stating the cost before it starts
     * and counting the products on a progress meter.
     *
     * @param key the setting that chose the products (named in errors), e.g. {@code hessian.products}
     */
    public static Result measure(Objective objective, float[] theta, Config config, long runSeed, Progress progress, String key) {
        ParameterLayout layout = objective.layout();
        long setup = System.nanoTime();
        HessianOperator products = products(objective, theta, config.products(), config.step(), key);
        double setupSeconds = (System.nanoTime() - setup) / 1e9;
        int n = theta.length;
        int k = Math.min(config.k(), n);
        int steps = Math.min(n, Math.max(config.iterations(), k));
        int traceSamples = config.traceSamples() == 0 ? 0 : Math.max(config.traceSamples(), MIN_TRACE_SAMPLES);
        long seed = config.seed().orElse(runSeed);
        int densityProducts = config.densityVectors() * steps;
        progress.info(String.format(Locale.ROOT, "Curvature: the top %d eigenvalues by Lanczos (%d products)%s%s; each product %s",
                k, steps, traceSamples == 0 ? "" : String.format(Locale.ROOT,
                        ", the trace by Hutchinson (%d to %d products, until its standard error is %s of it)",
                        Math.min(MIN_TRACE_SAMPLES, traceSamples), traceSamples, config.traceTolerance()),
                densityProducts == 0 ? "" : String.format(Locale.ROOT, ", the spectral density (%d products)", densityProducts),
                products.method()));
        int[][] blocks = layout.blocks().stream().filter(b -> b.kind() != ParameterBlock.Kind.STATE)
                .map(b -> new int[] {b.offset(), b.offset() + b.length()}).toArray(int[][]::new);
        List<String> names = layout.blocks().stream().filter(b -> b.kind() != ParameterBlock.Kind.STATE)
                .map(ParameterBlock::name).toList();
        long t0 = System.nanoTime();
        long[] done = new long[1];
        Lanczos.Top top;
        Hutchinson.Estimate trace = null;
        double[][] density = null;
        try (Progress.Meter meter = progress.meter("Hessian", steps + traceSamples + densityProducts, "products")) {
            HessianOperator counted = overParameters(products, layout, () -> meter.update(++done[0], ""));
            top = Lanczos.top(counted, k, steps, start(layout, n, seed));
            if (traceSamples > 0) {
                trace = Hutchinson.trace(counted, blocks, config.traceTolerance(), Math.min(MIN_TRACE_SAMPLES, traceSamples),
                        traceSamples, seed + 1);
            }
            if (densityProducts > 0) {
                density = density(Hutchinson.quadratures(counted, config.densityVectors(), steps, seed + 2));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double gradientSeconds = Double.NaN;
        if (objective.hasGradient()) { // one gradient, timed, so that a product's cost can be stated in gradients
            long g0 = System.nanoTime();
            objective.gradient(theta);
            gradientSeconds = (System.nanoTime() - g0) / 1e9;
        }
        return new Result(top.values(), top.vectors(), trace, names, density, products.method(), steps, (int) done[0],
                seconds, setupSeconds, gradientSeconds);
    }

    /**
     * The smallest and largest eigenvalues of {@code objective}'s Hessian (over the parameters) at {@code point}: the
     * extreme Ritz values of {@code steps} Lanczos steps from a seeded Gaussian start vector, as loss-landscape's
     * convexity map takes them.
     *
     * @return the two, and how the products were made
     */
    public static Extremes extremes(Objective objective, float[] point, Products products, double step, int steps, long seed,
                                    String key) {
        ParameterLayout layout = objective.layout();
        HessianOperator made = products(objective, point, products, step, key);
        HessianOperator h = overParameters(made, layout, () -> { });
        Lanczos.Quadrature q = Lanczos.quadrature(h, start(layout, point.length, seed), Math.min(steps, point.length));
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : q.nodes()) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new Extremes(lo, hi, made.method());
    }

    /** The smallest and largest eigenvalue found, and how the products were made. */
    public record Extremes(double min, double max, String method) {
    }

    /**
     * The density of stochastic Lanczos quadrature's nodes and weights on {@value #DENSITY_POINTS} points
     * spanning the nodes with a margin, each node a Gaussian of variance 1e-5 of the span squared (PyHessian's).
     */
    static double[][] density(List<Lanczos.Quadrature> runs) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Lanczos.Quadrature q : runs) {
            for (double x : q.nodes()) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        double span = Math.max(hi - lo, 1e-12 * Math.max(1, Math.abs(hi)));
        double margin = 0.01 * span;
        double[] grid = new double[DENSITY_POINTS];
        for (int g = 0; g < grid.length; g++) {
            grid[g] = lo - margin + (span + 2 * margin) * g / (grid.length - 1);
        }
        double[] values = Hutchinson.density(runs, grid, 1e-5 * span * span);
        double[][] out = new double[grid.length][];
        for (int g = 0; g < grid.length; g++) {
            out[g] = new double[] {grid[g], values[g]};
        }
        return out;
    }

    /**
     * A Lanczos start vector: seeded Gaussian entries (float, as the probes draw directions), none on the state, so that
     * no eigenvector found has any component there.
     */
    private static double[] start(ParameterLayout layout, int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        float[] cleared = layout.clearState(v);
        double[] start = new double[n];
        for (int i = 0; i < n; i++) {
            start[i] = cleared[i];
        }
        return start;
    }

    /** {@code P H P}, P zeroing the state entries (the Hessian over the parameters alone), {@code counted} told of each product. */
    static HessianOperator overParameters(HessianOperator h, ParameterLayout layout, Runnable counted) {
        boolean[] state = new boolean[h.dimension()];
        boolean any = false;
        for (ParameterBlock b : layout.blocks()) {
            if (b.kind() == ParameterBlock.Kind.STATE) {
                Arrays.fill(state, b.offset(), b.offset() + b.length(), true);
                any = true;
            }
        }
        boolean project = any;
        return new HessianOperator() {
            @Override
            public int dimension() {
                return h.dimension();
            }

            @Override
            public void apply(double[] v, double[] out) {
                double[] p = v;
                if (project) {
                    p = v.clone();
                    for (int i = 0; i < p.length; i++) {
                        if (state[i]) {
                            p[i] = 0;
                        }
                    }
                }
                h.apply(p, out);
                if (project) {
                    for (int i = 0; i < out.length; i++) {
                        if (state[i]) {
                            out[i] = 0;
                        }
                    }
                }
                counted.run();
            }

            @Override
            public String method() {
                return h.method();
            }
        };
    }
}
