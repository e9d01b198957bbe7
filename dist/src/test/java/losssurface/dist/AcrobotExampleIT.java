package losssurface.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin author's starting point, {@code examples/acrobot}: built outside the reactor from its
 * sources against the api alone (as its own pom does, with the api {@code provided}), dropped into
 * a folder, and trained by the stock {@code dqn} trainer through {@code --plugin-path}.
 */
class AcrobotExampleIT {

    /** The example project, beside the reactor's modules. */
    static final Path EXAMPLE = ExampleProjects.ROOT.resolve("acrobot");

    @TempDir
    Path tmp;

    @Test
    void theExamplePluginBuildsAgainstTheApiAloneAndDqnTrainsOnIt() throws Exception {
        assertThat(EXAMPLE.resolve("pom.xml")).as("the example project").exists();
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        ExampleProjects.buildJar(EXAMPLE, plugins.resolve("acrobot.jar"), tmp);

        Launcher.Result list = Launcher.java(tmp, "list", "--plugin-path", plugins.toString());
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("acrobot +Acrobot-v1 \\(Gymnasium\\)")
                .contains("module losssurface.example.acrobot");

        // The stock trainer, unchanged, on a short budget (the README reports the defaults' result).
        Launcher.Result run = Launcher.java(tmp, "run", "--plugin-path", plugins.toString(), "--task", "acrobot",
                "--trainer", "dqn", "--set", "q.steps=30000", "--set", "q.epsilon-decay-steps=10000",
                "--set", "q.eval-episodes=20", "--set", "plane.grid=9", "--set", "rl.transitions=2000",
                "--out", tmp.resolve("runs").toString());
        assertThat(run.status()).as(run.err()).isZero();
        Matcher m = Pattern.compile("eval-return-mean: (-?[0-9.]+)").matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        double greedy = Double.parseDouble(m.group(1));
        // A random policy almost never lifts the tip in 500 steps (return -500); a trained agent does.
        assertThat(greedy).as("greedy mean return after 30,000 steps").isGreaterThan(-400);
        assertThat(run.err()).contains("Surface 100% 81/81 points");
    }
}
