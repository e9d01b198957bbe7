package losssurface.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import losssurface.runner.Main;

/** {@code bench} as the runner finds it (its {@code CommandProvider}), on the class path. */
class BenchCommandTest {

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theRunnerListsBenchAmongItsCommands() {
        Result help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("bench").contains("Measure the plain and the fast surface evaluators");
    }

    @Test
    void benchChecksItsArgumentsBeforeTrainingAnything() {
        Result grid = run("bench", "--workloads", "mnist", "--grid", "1");
        assertThat(grid.status()).isEqualTo(2);
        assertThat(grid.err()).contains("--grid must be between 2 and 10001 points per axis, was 1.").doesNotContain("trained");
        Result name = run("bench", "--workloads", "mnist,td-frozn");
        assertThat(name.status()).isEqualTo(2);
        assertThat(name.err()).contains("Unknown workload 'td-frozn'. Available: mnist, td-frozen, return, onnx-cnn.")
                .doesNotContain("trained");
    }
}
