package losssurface.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import losssurface.runner.testing.InProcess;

/** {@code bench} as the runner finds it (its {@code CommandProvider}), on the class path. */
class BenchCommandTest {

    @Test
    void theRunnerListsBenchAmongItsCommands() {
        InProcess.Result help = InProcess.run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("bench").contains("Measure the plain and the fast surface evaluators");
    }

    @Test
    void benchChecksItsArgumentsBeforeTrainingAnything() {
        InProcess.Result grid = InProcess.run("bench", "--workloads", "mnist", "--grid", "1");
        assertThat(grid.status()).isEqualTo(2);
        assertThat(grid.err()).contains("--grid must be between 2 and 10001 points per axis, was 1.").doesNotContain("trained");
        InProcess.Result name = InProcess.run("bench", "--workloads", "mnist,td-frozn");
        assertThat(name.status()).isEqualTo(2);
        assertThat(name.err()).contains("Unknown workload 'td-frozn'. Available: mnist, td-frozen, return, onnx-cnn, dl4j-cnn, curvature, onnx-resnet.")
                .doesNotContain("trained");
    }
}
