package losssurface.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;

import org.junit.jupiter.api.Test;

/** Sullivan et al.'s cliff criterion on return surfaces whose cliffs are known. */
class CliffsTest {

    /** A return surface f(a, b) on an n x n grid over [-1, 1]^2. */
    static Surface plane(int n, DoubleBinaryOperator f) {
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -1 + 2.0 * i / (n - 1);
        }
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i * n + j] = f.applyAsDouble(xs[i], xs[j]);
            }
        }
        return new Surface("return", List.of(new Axis("alpha", "a", xs), new Axis("beta", "b", xs)), Map.of("return", g),
                new float[2], List.of(new Direction("direction-1", new float[] {1, 0}), new Direction("direction-2", new float[] {0, 1})),
                List.of(), Map.of());
    }

    @Test
    void theEdgeOfAPlateauIsACliffAndASlopeIsNot() {
        // 500 for a < 0.3, 100 beyond: a drop to 20% of the value, by 400 of a range of 400
        Surface s = plane(21, (a, b) -> a < 0.3 ? 500 : 100);
        Cliffs.Found found = Cliffs.of(s, "return");
        double[] grid = found.grid();
        for (int i = 0; i < 21; i++) {
            for (int j = 0; j < 21; j++) { // the last 500 is at a = 0.2 (i = 12): the edge, where the drop starts
                assertThat(grid[i * 21 + j]).as("(%d, %d)", i, j).isEqualTo(i == 12 ? 1.0 : 0.0);
            }
        }
        assertThat(found.count()).isEqualTo(21);
        assertThat(found.range()).isEqualTo(400);
        // within r 0.25 of theta*: the 5 x 5 block about it less its corners; the edge points (0.2, 0) and (0.2, +-0.1) among them
        assertThat(found.near()).isEqualTo(21);
        assertThat(found.nearCliffs()).isEqualTo(3);

        // the same fall spread over the grid, 20 per step: never a sudden drop
        Cliffs.Found slope = Cliffs.of(plane(21, (a, b) -> 300 - 200 * a), "return");
        assertThat(slope.count()).isZero();
        // a halving that is a small part of the range is no cliff: 10 to 4 on a surface from 0 to 500
        Cliffs.Found small = Cliffs.of(plane(21, (a, b) -> a > 0.95 ? 500 : b > 0 ? 4 : 10), "return");
        assertThat(small.grid()[10 * 21 + 10]).as("10 next to 4").isZero();
    }

    @Test
    void negativeReturnsFallByHalfTheirMagnitudeAndGapsTakePartInNoDrop() {
        // Acrobot-like: -100 near theta*, -500 (the time limit) for b > 0.45
        Cliffs.Found found = Cliffs.of(plane(21, (a, b) -> b > 0.45 ? -500 : -100), "return");
        assertThat(found.count()).isEqualTo(21);
        assertThat(found.grid()[3 * 21 + 14]).as("b = 0.4 next to b = 0.5").isEqualTo(1.0);
        // a rise is no drop: -500 next to -100 is not a cliff even though -100 <= -500 / 2 fails the other way
        assertThat(found.grid()[3 * 21 + 15]).isZero();

        Cliffs.Found gaps = Cliffs.of(plane(5, (a, b) -> a > 0.9 ? Double.NaN : 500), "return");
        assertThat(gaps.count()).isZero();
        assertThat(gaps.range()).isZero();
    }

    @Test
    void theShareCountsThePointsWithinTheRadiusOfThetaStar() {
        // a ring of collapse at radius 0.2: the points just inside it (r = 0.1) are cliffs
        Cliffs.Found found = Cliffs.of(plane(21, (a, b) -> Math.hypot(a, b) < 0.15 ? 500 : 10), "return");
        // within r 0.25 on a 0.1 grid: 21 points (theta*, 4 at 0.1, 4 at 0.14, 4 at 0.2, 8 at 0.22)
        assertThat(found.near()).isEqualTo(21);
        // the 500s are theta* and its 8 neighbours at r <= 0.1414; all but theta* have a 10 next to them
        assertThat(found.nearCliffs()).isEqualTo(8);
        assertThat(found.nearShare()).isEqualTo(8.0 / 21);
        Map<String, Object> json = found.json("return");
        assertThat(json).containsEntry("count", 8).containsEntry("share-within-radius", 8.0 / 21).containsEntry("radius", 0.25);
        assertThat((String) json.get("criterion")).contains("at most 50%").contains("more than 25%");
    }
}
