package losssurface.example.acrobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import losssurface.api.Environment;
import losssurface.api.EnvironmentTask;
import losssurface.api.Settings;
import losssurface.api.TaskProvider;

class AcrobotTest {

    @Test
    void serviceLoaderFindsExactlyThisProvider() {
        assertThat(ServiceLoader.load(TaskProvider.class).stream().map(p -> p.get().name()).toList())
                .containsExactly("acrobot");
        TaskProvider provider = new AcrobotTaskProvider();
        assertThat(provider.description()).isNotBlank().doesNotContain("\n");
        EnvironmentTask task = (EnvironmentTask) provider.create(Settings.empty());
        assertThat(task.solvedReturn()).hasValue(-100);
        assertThat(task.newEnvironment()).isInstanceOf(Acrobot.class).isNotSameAs(task.newEnvironment());
    }

    @Test
    void sameSeedSameStartAndEpisodeOtherSeedOtherStart() {
        Acrobot a = new Acrobot();
        Acrobot b = new Acrobot();
        assertThat(a.observationSize()).isEqualTo(6);
        assertThat(a.actionCount()).isEqualTo(3);
        float[] s1 = a.reset(42);
        float[] s2 = b.reset(42);
        assertThat(s1).hasSize(6).isEqualTo(s2);
        assertThat(a.state()).isEqualTo(b.state());
        assertThat(b.reset(43)).isNotEqualTo(s1);
        b.reset(42);
        for (int i = 0; i < 20; i++) {
            assertThat(a.step(i % 3).observation()).isEqualTo(b.step(i % 3).observation());
        }
        assertThat(a.state()).isEqualTo(b.state());
    }

    @Test
    void resetsAreUniformInTheInterval() {
        Acrobot env = new Acrobot();
        double[] min = {1, 1, 1, 1};
        double[] max = {-1, -1, -1, -1};
        for (long seed = 0; seed < 1000; seed++) {
            env.reset(seed);
            double[] s = env.state();
            for (int i = 0; i < 4; i++) {
                assertThat(s[i]).as("seed " + seed + " value " + i).isBetween(-0.1, 0.1);
                assertThat((double) (float) s[i]).as("float32 start, as the reference's").isEqualTo(s[i]);
                min[i] = Math.min(min[i], s[i]);
                max[i] = Math.max(max[i], s[i]);
            }
        }
        for (int i = 0; i < 4; i++) {
            assertThat(min[i]).isLessThan(-0.099);
            assertThat(max[i]).isGreaterThan(0.099);
        }
    }

    @Test
    void observationsAreCosSinAndVelocitiesOfTheNewStateInFloat32() {
        Acrobot env = new Acrobot();
        float[] first = env.reset(7);
        assertThat(first).containsExactly(expectedObservation(env.state()));
        Environment.Step step = env.step(2);
        assertThat(step.observation()).containsExactly(expectedObservation(env.state()));
        assertThat(step.reward()).isEqualTo(-1.0);
        assertThat(step.done()).isFalse();
    }

    private static float[] expectedObservation(double[] s) {
        return new float[] {(float) Math.cos(s[0]), (float) Math.sin(s[0]), (float) Math.cos(s[1]),
            (float) Math.sin(s[1]), (float) s[2], (float) s[3]};
    }

    @Test
    void hangingEpisodeIsTruncatedAt500StepsNotTerminated() {
        Acrobot env = new Acrobot();
        env.reset(3);
        Environment.Step step = null;
        for (int t = 1; t <= 500; t++) {
            step = env.step(1); // no torque: it only swings a little around the bottom
            assertThat(step.reward()).as("step " + t).isEqualTo(-1.0);
            assertThat(step.terminated()).as("step " + t).isFalse();
            assertThat(step.truncated()).as("step " + t).isEqualTo(t == 500);
        }
        assertThat(step.done()).isTrue();
        assertThatThrownBy(() -> env.step(1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("The Acrobot episode has ended (or was never started). Call reset(seed) first.");
        // a reset starts a new episode with a fresh step count
        env.reset(4);
        assertThat(env.elapsedSteps()).isZero();
        assertThat(env.step(0).done()).isFalse();
    }

    @Test
    void reachingTheGoalTerminatesWithRewardZeroAndThenStepsAreRefused() {
        Acrobot env = new Acrobot();
        env.setState(new double[] {Math.PI, 0, 0, 0}, 10); // balanced upright: the tip is 2 above the pivot
        Environment.Step step = env.step(1);
        assertThat(step.terminated()).isTrue();
        assertThat(step.truncated()).isFalse();
        assertThat(step.reward()).isEqualTo(0.0);
        assertThatThrownBy(() -> env.step(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Call reset(seed) first.");
        assertThatThrownBy(() -> new Acrobot().step(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void terminationOnTheLastAllowedStepIsBoth() {
        Acrobot env = new Acrobot();
        env.setState(new double[] {Math.PI, 0, 0, 0}, 499);
        Environment.Step step = env.step(1);
        assertThat(step.terminated()).isTrue();
        assertThat(step.truncated()).isTrue();
        assertThat(step.reward()).isEqualTo(0.0);
    }

    @Test
    void actionsOutOfRangeAreRefusedWithTheRange() {
        Acrobot env = new Acrobot();
        env.reset(0);
        assertThatThrownBy(() -> env.step(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Acrobot actions are 0 (torque -1), 1 (no torque) and 2 (torque +1), was 3.");
        assertThatThrownBy(() -> env.step(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was -1.");
        assertThat(env.elapsedSteps()).isZero(); // the bad actions did not advance the episode
        assertThat(env.step(0).done()).isFalse();
        assertThat(env.elapsedSteps()).isEqualTo(1);
    }

    @Test
    void wrapAndBoundFollowTheReferenceCode() {
        double pi = Math.PI;
        assertThat(Acrobot.wrap(pi, -pi, pi)).isEqualTo(pi); // kept: only x > max is wrapped
        assertThat(Acrobot.wrap(-pi, -pi, pi)).isEqualTo(-pi);
        assertThat(Acrobot.wrap(pi + 0.5, -pi, pi)).isEqualTo(pi + 0.5 - 2 * pi);
        assertThat(Acrobot.wrap(-pi - 0.5, -pi, pi)).isEqualTo(-pi - 0.5 + 2 * pi);
        assertThat(Acrobot.wrap(0.25, -pi, pi)).isEqualTo(0.25);
        assertThat(Acrobot.bound(20, -4 * pi, 4 * pi)).isEqualTo(4 * pi);
        assertThat(Acrobot.bound(-20, -4 * pi, 4 * pi)).isEqualTo(-4 * pi);
        assertThat(Acrobot.bound(1.5, -4 * pi, 4 * pi)).isEqualTo(1.5);
    }

    @Test
    void velocitiesStayWithinTheirBoundsAndAnglesWithinPi() {
        Acrobot env = new Acrobot();
        env.setState(new double[] {3.0, -3.0, Acrobot.MAX_VEL_1, -Acrobot.MAX_VEL_2}, 0);
        for (int t = 0; t < 50; t++) {
            Environment.Step step = env.step(t % 2 == 0 ? 2 : 0);
            double[] s = env.state();
            assertThat(Math.abs(s[0])).isLessThanOrEqualTo(Math.PI);
            assertThat(Math.abs(s[1])).isLessThanOrEqualTo(Math.PI);
            assertThat(Math.abs(s[2])).isLessThanOrEqualTo(Acrobot.MAX_VEL_1);
            assertThat(Math.abs(s[3])).isLessThanOrEqualTo(Acrobot.MAX_VEL_2);
            if (step.done()) {
                break;
            }
        }
        assertThat(env.elapsedSteps()).isPositive();
    }

    @Test
    void setStateRefusesBadInput() {
        Acrobot env = new Acrobot();
        assertThatThrownBy(() -> env.setState(new double[3], 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 entries");
        assertThatThrownBy(() -> env.setState(new double[4], 500)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 499");
    }
}
