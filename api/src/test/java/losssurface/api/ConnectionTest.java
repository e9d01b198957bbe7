package losssurface.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/** Garipov et al.'s curve on a function whose valley between two minima is a known arc. */
class ConnectionTest {

    /**
     * f(x, y) = (|p - c|^2 - R^2)^2: zero on the circle of radius R about c = (0, -0.5) through (-1, 0)
     * and (1, 0). The straight line between those two minima cuts through the circle (f(0, 0) = 1);
     * the upper arc joins them at zero loss.
     */
    static final double R2 = 1.25;

    static double f(float[] p) {
        double d = p[0] * p[0] + (p[1] + 0.5) * (p[1] + 0.5) - R2;
        return d * d;
    }

    /** The toy's "training data": 50 minibatches, each the exact loss and gradient. */
    static Connection.Batches ring(int[] calls) {
        return new Connection.Batches() {
            public int count() {
                return 50;
            }

            public double lossAndGradient(float[] p, int batch, float[] g) {
                calls[0]++;
                double d = p[0] * p[0] + (p[1] + 0.5) * (p[1] + 0.5) - R2;
                g[0] = (float) (4 * d * p[0]);
                g[1] = (float) (4 * d * (p[1] + 0.5));
                return d * d;
            }

            public String description() {
                return "the ring";
            }
        };
    }

    static final Objective RING = Objective.of(ParameterLayout.flat(2), "loss", ConnectionTest::f);

    @Test
    void theTrainedCurveFollowsTheCurvedValleyWhereTheLineCrossesABarrier() {
        float[] a = {-1, 0};
        float[] b = {1, 0};
        int[] calls = {0};
        Connection.Config config = new Connection.Config(41, 20, 1, 0.05, 0.9, OptionalLong.empty());
        Connection.Fit fit = Connection.fit(a, b, ring(calls), config, 7, Progress.silent());
        assertThat(fit.steps()).isEqualTo(20 * 50).isEqualTo(calls[0]);
        Connection.Path line = Connection.evaluate(Connection.LINE, RING, 41, (t, p) -> Connection.onLine(a, b, t, p), 2, Progress.silent());
        Connection.Path curve = Connection.evaluate(Connection.BEZIER, RING, 41,
                (t, p) -> Connection.onCurve(a, fit.bend(), b, t, p), 2, Progress.silent());
        assertThat(line.barrier()).isCloseTo(1.0, within(1e-9)); // f(0, 0) = 1, both ends 0
        assertThat(line.peak()).isEqualTo(0.5);
        assertThat(curve.barrier()).as("the curve's barrier is at most 10%% of the line's").isLessThanOrEqualTo(0.1 * line.barrier());
        // the curve went over the top of the arc, (0, R - 0.5), not under it
        float[] middle = new float[2];
        Connection.onCurve(a, fit.bend(), b, 0.5, middle);
        assertThat((double) middle[1]).isCloseTo(Math.sqrt(R2) - 0.5, within(0.05));
        // the loss on the curve fell as it trained
        assertThat(fit.losses()[fit.losses().length - 1]).isLessThan(0.1 * fit.losses()[0]);
        // the same seed, the same curve
        assertThat(Connection.fit(a, b, ring(new int[1]), config, 7, Progress.silent()).bend()).isEqualTo(fit.bend());
    }

    @Test
    void thePathsEndsAreTheSolutionsAndTheBarrierIsMeasuredFromTheirMean() {
        float[] a = {1, 2};
        float[] b = {3, -2};
        float[] bend = {10, 10};
        float[] p = new float[2];
        Connection.onCurve(a, bend, b, 0, p);
        assertThat(p).containsExactly(a);
        Connection.onCurve(a, bend, b, 1, p);
        assertThat(p).containsExactly(b);
        Connection.Path path = new Connection.Path("line", new double[] {0, 0.5, 1}, Map.of("loss", new double[] {1, 5, 3}));
        assertThat(path.barrier()).isEqualTo(3.0); // 5 - (1 + 3) / 2
        assertThat(new Connection.Path("line", new double[] {0, 0.5, 1}, Map.of("loss", new double[] {1, Double.NaN, 3})).barrier()).isNaN();
        // the paper's schedule: 1 for the first half, 1% from 90% on
        assertThat(Connection.schedule(0, 10)).isEqualTo(1.0);
        assertThat(Connection.schedule(5, 10)).isEqualTo(1.0);
        assertThat(Connection.schedule(7, 10)).isCloseTo(1 - 0.5 * 0.99, within(1e-12));
        assertThat(Connection.schedule(9, 10)).isCloseTo(0.01, within(1e-12));
        assertThat(Connection.schedule(19, 20)).isEqualTo(0.01);
        assertThatThrownBy(() -> Connection.distance(new float[2], new float[3])).isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("2 and 3 parameters");
        assertThatThrownBy(() -> Connection.Config.read(Settings.of(Map.of("connect.points", "2"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("connect.points");
    }

    @Test
    void aDivergingFitStopsWithTheSettingToLower() {
        Connection.Config config = new Connection.Config(5, 3, 1, 1e5, 0.9, OptionalLong.empty());
        assertThatThrownBy(() -> Connection.fit(new float[] {-1, 0}, new float[] {1, 0}, ring(new int[1]), config, 1, Progress.silent()))
                .isInstanceOf(LossSurfaceException.class).hasMessageContaining("connect.learning-rate");
        assertThat(List.of(Connection.LINE, Connection.BEZIER)).doesNotHaveDuplicates();
    }
}
