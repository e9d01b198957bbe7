package losssurface.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void parsesTypedValuesAndRecordsWhatWasRead() {
        Settings s = Settings.parse(List.of("a.n=3", "a.x=0.5", "a.flag=yes", "a.list=1, 2,3", "a.r=-2:0.5", "a.c=Layer"));
        Settings owned = s.forOwner("task a");
        assertThat(owned.integer("a.n", 1)).isEqualTo(3);
        assertThat(owned.decimal("a.x", 1)).isEqualTo(0.5);
        assertThat(owned.flag("a.flag", false)).isTrue();
        assertThat(owned.integers("a.list", List.of())).containsExactly(1, 2, 3);
        assertThat(owned.range("a.r", new Settings.Range(0, 1))).isEqualTo(new Settings.Range(-2, 0.5));
        assertThat(owned.choice("a.c", "filter", java.util.Set.of("filter", "layer"))).isEqualTo("layer");
        assertThat(owned.integer("a.default", 7)).isEqualTo(7);
        assertThat(s.unreadKeys()).isEmpty();
        assertThat(s.knownKeys().get("task a")).containsEntry("a.default", "7").containsEntry("a.n", "1");
        s.requireAllKnown();
    }

    @Test
    void badInputNamesTheKeyAndTheExpectedForm() {
        Settings s = Settings.of(Map.of("k", "abc", "r", "1", "r2", "3:1", "f", "maybe"));
        assertThatThrownBy(() -> s.integer("k", 0)).isInstanceOf(SettingsException.class).hasMessage("k must be a whole number, was 'abc'.");
        assertThatThrownBy(() -> s.decimal("k", 0)).hasMessage("k must be a number, was 'abc'.");
        assertThatThrownBy(() -> s.range("r", null)).hasMessage("r must be written min:max, e.g. -1:1, was '1'.");
        assertThatThrownBy(() -> s.range("r2", null)).hasMessage("r2 must have min < max, was 3.0:1.0.");
        assertThatThrownBy(() -> s.flag("f", true)).hasMessage("f must be true or false, was 'maybe'.");
        assertThatThrownBy(() -> Settings.parse(List.of("x=1", "x=2"))).hasMessage("Setting 'x' is given twice. Give each key once.");
        assertThatThrownBy(() -> Settings.parse(List.of("=1"))).hasMessageContaining("is not of the form key=value");
    }

    @Test
    void unknownKeysListTheKnownOnesByPlugin() {
        Settings s = Settings.of(Map.of("plane.grd", "5", "zzz", "1"));
        s.forOwner("probe random-plane").string("plane.grid", "51x51");
        s.forOwner("task mnist").integer("mnist.epochs", 10);
        assertThatThrownBy(s::requireAllKnown).isInstanceOf(SettingsException.class)
                .hasMessageContaining("Unknown setting 'plane.grd'.\n")
                .hasMessageContaining("Unknown setting 'zzz'. No plugin in this run reads keys starting with 'zzz'.")
                .hasMessageContaining("probe random-plane: plane.grid (default 51x51)")
                .hasMessageContaining("task mnist: mnist.epochs (default 10)");
    }

    @Test
    void linspaceHitsBothEnds() {
        double[] v = new Settings.Range(-1, 1).linspace(51);
        assertThat(v).hasSize(51);
        assertThat(v[0]).isEqualTo(-1);
        assertThat(v[25]).isEqualTo(0);
        assertThat(v[50]).isEqualTo(1);
    }

    @Test
    void linspaceOfFewerThanTwoPointsSaysSo() {
        Settings.Range r = new Settings.Range(-1, 1);
        assertThat(r.linspace(2)).containsExactly(-1, 1);
        for (int points : new int[] {0, 1, -3}) {
            assertThatThrownBy(() -> r.linspace(points)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("A range -1:1 spreads over at least 2 points (its two ends), not " + points + ".");
        }
    }
}
