package losssurface.plugin.qlearning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import losssurface.api.EnvironmentTask;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.TrainerProvider;
import losssurface.plugin.cartpole.CartPoleTaskProvider;
import losssurface.rl.QModel;

/**
 * The solved-check: DQN with its defaults solves CartPole-v1 (greedy mean return over 100 fixed
 * evaluation episodes at least 475) within 100,000 environment steps. Takes about half a minute; excluded from the default build, run it
 * by name: {@code mvn -pl plugins/qlearning test -Dtest=DqnCartPoleSlowTest}.
 */
class DqnCartPoleSlowTest {

    /** Progress that keeps the info lines for the test report. */
    static final class Lines implements Progress {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(String message) {
            lines.add(message);
        }

        @Override
        public Meter meter(String what, long total, String unit) {
            return Progress.silent().meter(what, total, unit);
        }
    }

    static QModel train(TrainerProvider provider, Map<String, String> settings, long seed, Lines lines) {
        EnvironmentTask task = (EnvironmentTask) new CartPoleTaskProvider().create(Settings.empty());
        RunContext context = new RunContext(seed, lines, RunContext.quiet(seed).cacheDir());
        return (QModel) provider.create(Settings.of(settings)).train(task, context);
    }

    @Test
    void dqnWithDefaultsSolvesCartPole() {
        Lines lines = new Lines();
        QModel model = train(new DqnTrainerProvider(), Map.of(), 42, lines);
        Map<String, Object> s = model.summary();
        System.out.println(String.format(Locale.ROOT, "DQN defaults, seed 42: eval return %.1f (std %.1f) over %s episodes; "
                + "%s steps in %.1f s (%.0f env steps/s)", (double) s.get("eval-return-mean"), (double) s.get("eval-return-std"),
                s.get("eval-episodes"), s.get("training-steps"), (double) s.get("train-seconds"), (double) s.get("env-steps-per-second")));
        assertThat((double) s.get("eval-return-mean")).isGreaterThanOrEqualTo(475.0);
        assertThat(s).containsEntry("solved", true);
        // sample-efficient: solved within 100,000 environment steps
        assertThat(((Number) s.get("training-steps")).longValue()).isLessThanOrEqualTo(100_000L);
    }
}
