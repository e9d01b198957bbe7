package losssurface.plugin.probes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import losssurface.api.Axis;
import losssurface.api.Direction;
import losssurface.api.LossSurfaceException;
import losssurface.api.Objective;
import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.ProbeInput;
import losssurface.api.Progress;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.SurfacePlan;
import losssurface.api.SurfaceSize;
import losssurface.api.SurfaceProbe;
import losssurface.api.curvature.HessianOperator;
import losssurface.api.curvature.Hutchinson;
import losssurface.api.curvature.Lanczos;

/**
 * The curvature at theta*: the Hessian's top eigenvalues by Lanczos with full
 * reorthogonalisation, its trace (and each parameter block's) by Hutchinson's estimator, and the
 * loss on the plane of the two top eigenvectors (unit directions).
 *
 * <p>The Hessian-vector products are exact where the objective makes them
 * ({@link Objective#hessian}: a dense network's, by the R-operator) and {@code hessian.products}
 * asks for them; otherwise central differences of gradients,
 * {@code H v ~ (g(theta + h v) - g(theta - h v)) / 2h}, exact for quadratics. Running
 * statistics (state) are never moved: the Hessian is over the parameters.
 */
final class HessianProbe implements SurfaceProbe {

    /** How the Hessian-vector products are made ({@code hessian.products}). */
    enum Products {
        /** Central differences of gradients (two gradients a product). */
        DIFFERENCES,
        /** The objective's exact products; an objective without them is an error. */
        EXACT,
        /** Exact where the objective makes them, else differences. */
        AUTO;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param grid           {@code hessian.grid}, default 51x51
     * @param xRange         {@code hessian.x-range}, default -1:1 (along the unit eigenvector 1)
     * @param yRange         {@code hessian.y-range}, default -1:1
     * @param iterations     {@code hessian.iterations}: Lanczos steps, one product each (default 30; at most the parameters)
     * @param k              {@code hessian.k}: eigenvalues reported (default 5; the plane takes the top two)
     * @param traceSamples   {@code hessian.trace-samples}: at most this many Hutchinson products (default 100; 0: no trace)
     * @param traceTolerance {@code hessian.trace-tolerance}: stop once the trace's standard error is this fraction of it (0.02)
     * @param step           {@code hessian.step}: h of the finite difference, along a unit vector (default 0.01)
     * @param products       {@code hessian.products}: differences (default), exact or auto
     * @param seed           {@code hessian.seed}: start vectors; default the run seed
     */
    record Config(GridSpec grid, Settings.Range xRange, Settings.Range yRange, int iterations, int k, int traceSamples,
                  double traceTolerance, double step, Products products, OptionalLong seed) {
    }

    /** Hutchinson's estimate takes at least this many products, so that its standard error means something. */
    static final int MIN_TRACE_SAMPLES = 10;

    private final Config config;

    HessianProbe(Config config) {
        this.config = config;
    }

    @Override
    public java.util.Optional<SurfaceSize> size() {
        return java.util.Optional.of(config.grid().size());
    }

    @Override
    public SurfacePlan plan(ProbeInput input) {
        Objective objective = input.objective();
        float[] theta = input.centre();
        ParameterLayout layout = objective.layout();
        HessianOperator exact = config.products() == Products.DIFFERENCES ? null : objective.hessian(theta).orElse(null);
        if (exact == null && config.products() == Products.EXACT) {
            throw new LossSurfaceException("hessian.products is exact, but this objective (" + objective.description()
                    + ") makes no exact Hessian-vector products (a DL4J multilayer perceptron scored by softmax cross-entropy or"
                    + " MSE does). Use hessian.products=differences (central differences of gradients).");
        }
        if (exact == null && !objective.hasGradient()) {
            throw new LossSurfaceException("The hessian probe needs gradients, and this objective (" + objective.description()
                    + ") has none (an ONNX model's runtime gives none). Use random-plane, or an objective of a DL4J network.");
        }
        HessianOperator products = exact != null ? exact : differences(objective, theta);
        int n = theta.length;
        int k = Math.min(config.k(), n);
        int steps = Math.min(n, Math.max(config.iterations(), k));
        int traceSamples = config.traceSamples() == 0 ? 0 : Math.max(config.traceSamples(), MIN_TRACE_SAMPLES);
        long seed = config.seed().orElse(input.context().seed());
        Progress progress = input.context().progress();
        progress.info(String.format(Locale.ROOT, "Hessian: the top %d eigenvalues by Lanczos (%d products)%s; each product %s",
                k, steps, traceSamples == 0 ? "" : String.format(Locale.ROOT,
                        ", the trace by Hutchinson (%d to %d products, until its standard error is %s of it)",
                        Math.min(MIN_TRACE_SAMPLES, traceSamples), traceSamples, config.traceTolerance()),
                exact != null ? exact.method() : "two gradients (central differences, step " + config.step() + ")"));
        Lanczos.Top top;
        Hutchinson.Estimate trace = null;
        int[][] blocks = parameterBlocks(layout);
        try (Progress.Meter meter = progress.meter("Hessian", steps + traceSamples, "products")) {
            HessianOperator counted = overParameters(products, layout, meter);
            // started off the state, so that no eigenvector has any component there
            float[] start = layout.clearState(Directions.gaussian(n, new java.util.Random(seed)));
            double[] start64 = new double[n];
            for (int i = 0; i < n; i++) {
                start64[i] = start[i];
            }
            top = Lanczos.top(counted, k, steps, start64);
            if (traceSamples > 0) {
                trace = Hutchinson.trace(counted, blocks, config.traceTolerance(), Math.min(MIN_TRACE_SAMPLES, traceSamples),
                        traceSamples, seed + 1);
            }
        }
        float[][] vectors = new float[2][];
        for (int j = 0; j < 2; j++) {
            vectors[j] = new float[n];
            if (j < top.values().length) {
                for (int i = 0; i < n; i++) {
                    vectors[j][i] = (float) top.vectors()[j][i];
                }
            }
        }
        double[] lambdas = {top.values()[0], top.values().length > 1 ? top.values()[1] : Double.NaN};
        double[] alphas = config.xRange().linspace(config.grid().xPoints());
        double[] betas = config.yRange().linspace(config.grid().yPoints());
        String method = exact != null ? exact.method() : "central differences of gradients, step " + config.step();
        Map<String, Object> curvature = new LinkedHashMap<>();
        curvature.put("eigenvalues", java.util.Arrays.stream(top.values()).boxed().toList());
        if (trace != null) {
            curvature.put("trace", trace.trace());
            curvature.put("trace-stderr", trace.stderr());
            curvature.put("trace-samples", trace.samples());
            Map<String, Double> blockTrace = new LinkedHashMap<>();
            List<ParameterBlock> named = layout.blocks().stream().filter(b -> b.kind() != ParameterBlock.Kind.STATE).toList();
            for (int b = 0; b < named.size(); b++) {
                blockTrace.put(named.get(b).name(), trace.blockTrace()[b]);
            }
            curvature.put("block-trace", blockTrace);
        }
        curvature.put("method", method);
        curvature.put("lanczos-steps", steps);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("method", "hessian");
        info.put("algorithm", "Lanczos with full reorthogonalisation (" + steps + " steps)"
                + (trace != null ? "; Hutchinson's trace with Rademacher vectors" : ""));
        info.put("eigenvalues", List.of(lambdas[0], lambdas[1]));
        info.put(Surface.CURVATURE, curvature);
        info.put("products", exact != null ? "exact" : "differences");
        if (exact == null) {
            info.put("finite-difference-step", config.step());
        }
        info.put("seed", seed);
        info.put("grid", config.grid().toString());
        info.put("x-range", config.xRange().toString());
        info.put("y-range", config.yRange().toString());
        info.put("direction-cosine", Directions.cosine(vectors[0], vectors[1]));
        return new SurfacePlan(theta, List.of(new Axis("alpha", String.format(Locale.ROOT, "Hessian eigenvector 1 (lambda %.4g)", lambdas[0]), alphas),
                        new Axis("beta", String.format(Locale.ROOT, "Hessian eigenvector 2 (lambda %.4g)", lambdas[1]), betas)),
                List.of(new Direction("direction-1", vectors[0]), new Direction("direction-2", vectors[1])), List.of(), info);
    }

    /** The index ranges of the blocks that are parameters (not state), in the layout's order. */
    private static int[][] parameterBlocks(ParameterLayout layout) {
        return layout.blocks().stream().filter(b -> b.kind() != ParameterBlock.Kind.STATE)
                .map(b -> new int[] {b.offset(), b.offset() + b.length()}).toArray(int[][]::new);
    }

    /**
     * {@code P H P}, P zeroing the state entries (the Hessian over the parameters alone), each product
     * counted on {@code meter}.
     */
    private static HessianOperator overParameters(HessianOperator h, ParameterLayout layout, Progress.Meter meter) {
        boolean[] state = new boolean[h.dimension()];
        boolean any = false;
        for (ParameterBlock b : layout.blocks()) {
            if (b.kind() == ParameterBlock.Kind.STATE) {
                java.util.Arrays.fill(state, b.offset(), b.offset() + b.length(), true);
                any = true;
            }
        }
        boolean project = any;
        long[] done = new long[1];
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
                meter.update(++done[0], "");
            }

            @Override
            public String method() {
                return h.method();
            }
        };
    }

    /** Products by central differences of the objective's gradient at {@code theta}, step h along v. */
    private HessianOperator differences(Objective objective, float[] theta) {
        double h = config.step();
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
}
