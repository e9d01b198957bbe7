package losssurface.plugin.cartpole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import losssurface.api.Environment;
import losssurface.api.EnvironmentTask;
import losssurface.api.Settings;
import losssurface.api.TaskProvider;

class CartPoleTest {

    @Test
    void serviceLoaderFindsExactlyThisModulesTask() {
        assertThat(ServiceLoader.load(TaskProvider.class).stream().map(p -> p.get().name()).toList())
                .containsExactly("cartpole");
        EnvironmentTask task = (EnvironmentTask) new CartPoleTaskProvider().create(Settings.empty());
        assertThat(task.solvedReturn()).hasValue(475);
        assertThat(task.newEnvironment()).isNotSameAs(task.newEnvironment());
    }

    @Test
    void sameSeedSameStartAndEpisodeOtherSeedOtherStart() {
        CartPole a = new CartPole();
        CartPole b = new CartPole();
        assertThat(a.observationSize()).isEqualTo(4);
        assertThat(a.actionCount()).isEqualTo(2);
        float[] s1 = a.reset(42);
        float[] s2 = b.reset(42);
        assertThat(s1).isEqualTo(s2);
        for (double v : a.state()) {
            assertThat(v).isBetween(-0.05, 0.05);
        }
        assertThat(b.reset(43)).isNotEqualTo(s1);
        b.reset(42);
        for (int i = 0; i < 8; i++) {
            assertThat(a.step(i % 2).observation()).isEqualTo(b.step(i % 2).observation());
        }
        // starting values spread over the whole interval
        double min = 1;
        double max = -1;
        for (long seed = 0; seed < 500; seed++) {
            a.reset(seed);
            min = Math.min(min, a.state()[2]);
            max = Math.max(max, a.state()[2]);
        }
        assertThat(min).isLessThan(-0.049);
        assertThat(max).isGreaterThan(0.049);
    }

    @Test
    void observationsAreTheFloat32RoundingOfTheFloat64State() {
        CartPole env = new CartPole();
        env.reset(7);
        Environment.Step step = env.step(1);
        double[] state = env.state();
        for (int i = 0; i < 4; i++) {
            assertThat(step.observation()[i]).isEqualTo((float) state[i]);
        }
    }

    @Test
    void fallingPoleTerminatesWithRewardOneAndThenStepsAreRefused() {
        CartPole env = new CartPole();
        env.reset(1);
        Environment.Step step;
        int steps = 0;
        do {
            step = env.step(1);
            steps++;
            assertThat(step.reward()).isEqualTo(1.0);
        } while (!step.done());
        assertThat(step.terminated()).isTrue();
        assertThat(step.truncated()).isFalse();
        assertThat(steps).isLessThan(100);
        assertThatThrownBy(() -> env.step(0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("The CartPole episode has ended (or was never started). Call reset(seed) first.");
        assertThatThrownBy(() -> new CartPole().step(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void balancedEpisodeIsTruncatedAt500StepsNotTerminated() {
        CartPole env = new CartPole();
        env.reset(3);
        Environment.Step step = null;
        for (int t = 1; t <= 500; t++) {
            step = env.step(balance(env.state()));
            assertThat(step.terminated()).as("step " + t).isFalse();
            assertThat(step.truncated()).as("step " + t).isEqualTo(t == 500);
        }
        assertThat(step.done()).isTrue();
        assertThatThrownBy(() -> env.step(0)).isInstanceOf(IllegalStateException.class);
        // a reset starts a new episode with a fresh step count
        env.reset(4);
        assertThat(env.elapsedSteps()).isZero();
        assertThat(env.step(0).done()).isFalse();
    }

    @Test
    void terminationOnTheLastAllowedStepIsBoth() {
        CartPole env = new CartPole();
        env.setState(new double[] {2.399, 1.0, 0, 0}, 499);
        Environment.Step step = env.step(1);
        assertThat(step.terminated()).isTrue();
        assertThat(step.truncated()).isTrue();
    }

    @Test
    void actionsOutOfRangeAreRefusedWithTheRange() {
        CartPole env = new CartPole();
        env.reset(0);
        assertThatThrownBy(() -> env.step(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CartPole actions are 0 (push left) and 1 (push right), was 2.");
        assertThatThrownBy(() -> env.step(-1)).hasMessageContaining("was -1.");
        assertThat(env.step(0).done()).isFalse(); // the bad action did not advance the episode
        assertThat(env.elapsedSteps()).isEqualTo(1);
    }

    /** A simple controller that keeps the pole up for 500 steps. */
    static int balance(double[] s) {
        return s[2] + 0.5 * s[3] + 0.01 * s[0] + 0.1 * s[1] > 0 ? 1 : 0;
    }
}
