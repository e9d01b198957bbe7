package losssurface.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import losssurface.api.io.Npy;
import losssurface.runner.testing.InProcess;

/** {@code connect} in-process, on two runs of one network trained from different seeds. */
class ConnectCommandTest {

    @TempDir
    Path tmp;

    private Path train(String task, String trainer, long seed, String... settings) throws Exception {
        Path out = tmp.resolve(task + "-" + seed);
        List<String> args = new java.util.ArrayList<>(List.of("run", "--task", task, "--trainer", trainer, "--probe", "random-line", "--set", "line.points=5",
                "--renderer", "data", "--out", out.toString(), "--seed", String.valueOf(seed)));
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        InProcess.Result r = InProcess.run(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        try (var s = Files.list(out)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoRunsAreConnectedByTheLineAndATrainedCurveWithTheirBarriers() throws Exception {
        String[] small = {"supervised.epochs=3", "regression.samples=256"};
        Path a = train("regression", "supervised", 5, small);
        Path b = train("regression", "supervised", 6, small);
        Path out = tmp.resolve("connected");
        InProcess.Result r = InProcess.run("connect", a.toString(), b.toString(), "--set", "connect.epochs=3", "--set",
                "connect.points=7", "--set", "connect.batch=32", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("fitting a quadratic Bezier curve on the ").contains("Curve fitted: ");
        assertThat(r.out()).contains("Connection: " + out).contains("straight line: barrier ").contains("Bezier curve:  barrier ")
                .contains("files: connect.json, curve.npy, connect.png, index.html");
        Map<String, Object> json = new ObjectMapper().readValue(out.resolve("connect.json").toFile(), Map.class);
        Map<String, Object> paths = (Map<String, Object>) json.get("paths");
        assertThat(paths).containsOnlyKeys("line", "bezier");
        Map<String, Object> line = (Map<String, Object>) paths.get("line");
        List<Double> loss = (List<Double>) line.get("loss");
        assertThat(loss).hasSize(7);
        // the line starts at the first solution: its loss is the centre of that run's own surface (drawn by the fast
        // evaluator in float32, which agrees with the objective's own evaluation to float rounding); both ends are scored on
        // the first run's data (the regression task draws its data from the run seed)
        double[] surface = (double[]) Npy.read(a.resolve("loss.npy")).values();
        assertThat(loss.get(0)).isCloseTo(surface[2], within(1e-6 * Math.max(1, surface[2])));
        double top = loss.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(((Number) ((Map<String, Object>) json.get("barriers")).get("line")).doubleValue())
                .isCloseTo(top - (loss.get(0) + loss.get(6)) / 2, within(1e-12));
        float[] theta = (float[]) Npy.read(a.resolve("theta.npy")).values();
        assertThat((float[]) Npy.read(out.resolve("curve.npy")).values()).hasSize(theta.length);
        Map<String, Object> curve = (Map<String, Object>) json.get("curve");
        String data = (String) curve.get("trained-on");
        assertThat(data).contains("training examples in ").endsWith(" minibatches of 32");
        int batches = Integer.parseInt(data.replaceAll(".* in (\\d+) minibatches of 32", "$1"));
        assertThat(curve.get("steps")).as("three epochs of every minibatch").isEqualTo(3 * batches);
        assertThat(out.resolve("connect.png")).isNotEmptyFile();
        assertThat(out.resolve("index.html")).content().contains("straight line").contains("B\u00e9zier curve");

        // the second solution as a parameter file, the network from --like: the same straight line
        Path file = tmp.resolve("theta-b.npy");
        Files.copy(b.resolve("theta.npy"), file);
        InProcess.Result fromFile = InProcess.run("connect", file.toString(), a.toString(), "--set", "connect.epochs=0",
                "--set", "connect.points=7", "--out", tmp.resolve("from-file").toString());
        assertThat(fromFile.status()).as(fromFile.err()).isZero();
        assertThat(fromFile.err()).contains("connect.epochs=0: the straight line only.");
        Map<String, Object> reversed = new ObjectMapper().readValue(tmp.resolve("from-file/connect.json").toFile(), Map.class);
        List<Double> back = (List<Double>) ((Map<String, Object>) ((Map<String, Object>) reversed.get("paths")).get("line")).get("loss");
        assertThat(back.get(0)).isEqualTo(loss.get(6));
        assertThat(back.get(6)).isEqualTo(loss.get(0));
        assertThat(tmp.resolve("from-file/curve.npy")).doesNotExist();
    }

    @Test
    void anAgentIsConnectedByTheLineAloneAndSaysWhy() throws Exception {
        String[] small = {"q.steps=1500", "rl.transitions=200"};
        Path a = train("cartpole", "dqn", 3, small);
        Path b = train("cartpole", "dqn", 4, small);
        InProcess.Result r = InProcess.run("connect", a.toString(), b.toString(), "--set", "connect.points=5",
                "--out", tmp.resolve("agents").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("Task 'cartpole' offers no training data to fit a curve on");
        assertThat(r.out()).contains("straight line: barrier ").doesNotContain("Bezier curve:");
        assertThat(tmp.resolve("agents/connect.json")).content().contains("\"line\"").doesNotContain("\"bezier\"");
    }
}
