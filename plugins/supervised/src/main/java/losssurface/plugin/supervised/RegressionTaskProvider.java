package losssurface.plugin.supervised;

import java.util.List;

import losssurface.api.Check;
import losssurface.api.Settings;
import losssurface.api.Task;
import losssurface.api.TaskProvider;

/** Provides the built-in {@code regression} task: a small MLP fitting a smooth function of two inputs. */
public final class RegressionTaskProvider implements TaskProvider {
    @Override
    public String name() {
        return "regression";
    }

    @Override
    public String description() {
        return "Tiny MLP fitting y = sin(3 x1) + x2^2 on synthetic data (seconds; the quickest demo)";
    }

    @Override
    public Task create(Settings settings) {
        int samples = settings.integer("regression.samples", 1024);
        List<Integer> hidden = settings.integers("regression.hidden", List.of(16, 16));
        double noise = settings.decimal("regression.noise", 0.05);
        return new RegressionTask(new RegressionTask.Config(samples, hidden, noise));
    }

    static void checkHidden(String key, List<Integer> hidden) {
        if (hidden.isEmpty()) {
            throw new losssurface.api.SettingsException(key + " must list at least one layer size, e.g. 16,16.");
        }
        hidden.forEach(h -> Check.between(key + " sizes", 1, 100_000, h));
    }
}
