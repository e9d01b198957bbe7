package losssurface.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import losssurface.api.LossSurfaceException;
import losssurface.nn.dense.DenseNet;
import losssurface.nn.dense.FastMlpEvaluator;

/**
 * How fast a workload could go on this machine: the rate of single-precision matrix products
 * (sgemm, through ND4J's BLAS as the evaluators call it) at the workload's decisive shape with
 * {@code threads} products running at once (one per worker, each BLAS call on one thread, as the
 * surface job runs them), and the floating-point operations one grid point needs. Their quotient
 * is an upper bound on points per second for any exact evaluator: it assumes every operation runs
 * at the rate of the best-shaped product and that nothing else (activations, the loss, the
 * environment's steps) costs anything.
 */
final class MachineLimit {

    private MachineLimit() {
    }

    /** A product {@code [m, k] x [k, n]}. */
    record Shape(int m, int k, int n) {
        Shape {
            if (m < 1 || k < 1 || n < 1) {
                throw new IllegalArgumentException("a product's sizes must be positive, were " + m + "x" + k + "x" + n);
            }
        }

        /** Multiplications and additions of one product. */
        double flops() {
            return 2.0 * m * k * n;
        }

        /** The same product transposed, {@code [n, k] x [k, m]}: the same work, which BLAS may do faster. */
        Shape transposed() {
            return new Shape(n, k, m);
        }

        @Override
        public String toString() {
            return m + "x" + k + "x" + n;
        }
    }

    /**
     * What one grid point needs, and the product that decides its speed.
     *
     * @param flopsPerPoint floating-point operations of one grid point (multiply-adds counted as two)
     * @param shape         the decisive product, at which the machine's rate is measured
     * @param derivation    how {@code flopsPerPoint} was counted, for the table's notes
     */
    record Work(double flopsPerPoint, Shape shape, String derivation) {
        Work {
            if (!(flopsPerPoint > 0)) {
                throw new IllegalArgumentException("a grid point needs some work, was " + flopsPerPoint + " flops");
            }
        }
    }

    /**
     * A workload's bound: the machine's rate at its shape, and points per second at that rate.
     *
     * @param shape  the orientation of the work's product that ran faster
     * @param gflops the rate of that orientation
     */
    record Bound(Work work, Shape shape, double gflops) {

        /**
         * Measures the rate of {@code work}'s product in both orientations ({@code [m, k] x [k, n]} and its
         * transpose, e.g. a convolution as patches x filters or filters x patches) and keeps the faster: a bound
         * must not be lowered by an orientation an evaluator need not use.
         */
        static Bound measure(Work work, int threads, double seconds) {
            Shape a = work.shape();
            Shape b = a.transposed();
            double ra = MachineLimit.gflops(a, threads, seconds / 2);
            double rb = a.equals(b) ? ra : MachineLimit.gflops(b, threads, seconds / 2);
            return ra >= rb ? new Bound(work, a, ra) : new Bound(work, b, rb);
        }

        double pointsPerSecond() {
            return gflops * 1e9 / work.flopsPerPoint();
        }

        String describe() {
            return String.format(Locale.ROOT, "%.1f MFLOP/point (%s); sgemm %s at %.1f GFLOP/s", work.flopsPerPoint() / 1e6,
                    work.derivation(), shape, gflops);
        }
    }

    /**
     * The work of one point of a multilayer perceptron over {@code rows} input rows (examples, or
     * states visited), as the fast evaluator computes it: a wide first layer (more than
     * {@link FastMlpEvaluator#DIRECT_INPUTS} inputs) costs one multiply-add per unit and row (its
     * products with the centre and the directions are made once per surface); every other layer
     * {@code in x out} per row. The decisive product is the widest later layer's over {@code block}
     * rows, bias folded in as an extra input.
     */
    static Work dense(DenseNet net, double rows, int block, String what) {
        double perRow = 0;
        Shape decisive = null;
        for (int l = 0; l < net.layers(); l++) {
            boolean factored = l == 0 && net.in(0) > FastMlpEvaluator.DIRECT_INPUTS;
            perRow += factored ? 2.0 * net.out(0) : 2.0 * net.in(l) * net.out(l);
            if (l > 0 && l < net.layers() - 1 || net.layers() == 1) {
                Shape s = new Shape(block, net.in(l) + 1, net.out(l));
                decisive = decisive == null || s.flops() > decisive.flops() ? s : decisive;
            }
        }
        if (decisive == null) { // input and output layers only: the output layer decides
            decisive = new Shape(block, net.in(net.layers() - 1) + 1, net.out(net.layers() - 1));
        }
        StringBuilder layers = new StringBuilder();
        for (int l = 0; l < net.layers(); l++) {
            layers.append(l == 0 ? "" : "-").append(net.in(l));
        }
        layers.append('-').append(net.out(net.layers() - 1));
        return new Work(rows * perRow, decisive, String.format(Locale.ROOT, "%s x %.0f flops for %s %s%s", fmt(rows), perRow,
                what, layers, net.in(0) > FastMlpEvaluator.DIRECT_INPUTS ? ", first layer factored out" : ""));
    }

    private static String fmt(double rows) {
        return rows == Math.rint(rows) ? String.format(Locale.ROOT, "%,.0f", rows) : String.format(Locale.ROOT, "%,.1f", rows);
    }

    /**
     * The aggregate sgemm rate at {@code shape}, in GFLOP/s, with {@code threads} threads each
     * multiplying its own matrices (column-major, as the evaluators' buffers) for about
     * {@code seconds}, after a warm-up.
     */
    static double gflops(Shape shape, int threads, double seconds) {
        List<Thread> workers = new ArrayList<>();
        AtomicLong products = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads);
        long[] window = new long[2];
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                try {
                    INDArray a = Nd4j.rand(DataType.FLOAT, 'f', shape.m(), shape.k());
                    INDArray b = Nd4j.rand(DataType.FLOAT, 'f', shape.k(), shape.n());
                    INDArray c = Nd4j.create(DataType.FLOAT, new long[] {shape.m(), shape.n()}, 'f');
                    for (int i = 0; i < 20; i++) {
                        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
                    }
                    start.await();
                    long t0 = System.nanoTime();
                    long deadline = t0 + (long) (seconds * 1e9);
                    long done = 0;
                    while (System.nanoTime() < deadline) {
                        for (int i = 0; i < 10; i++) {
                            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
                        }
                        done += 10;
                    }
                    products.addAndGet(done);
                    if (index == 0) {
                        window[0] = t0;
                        window[1] = System.nanoTime();
                    }
                } catch (Exception | Error e) {
                    failures.add(e);
                }
            }, "sgemm-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LossSurfaceException("Interrupted while measuring the machine's sgemm rate.", e);
            }
        }
        if (!failures.isEmpty()) {
            throw new LossSurfaceException("Cannot measure the machine's sgemm rate at " + shape + ": " + failures.get(0), failures.get(0));
        }
        double elapsed = (window[1] - window[0]) / 1e9;
        return products.get() * shape.flops() / elapsed / 1e9;
    }
}
