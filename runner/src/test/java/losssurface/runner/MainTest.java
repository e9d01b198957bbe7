package losssurface.runner;

import losssurface.runner.testing.InProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.LossSurfaceException;
import losssurface.api.Settings;
import losssurface.api.Task;
import losssurface.api.TaskProvider;

/** The command line in-process, on the class path (the module path is covered by LauncherIT). */
class MainTest {

    @TempDir
    Path tmp;

    static InProcess.Result run(String... args) {
        return InProcess.run(args);
    }

    @Test
    void listShowsEveryKindWithModuleAndOrigin() {
        InProcess.Result r = run("list");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Tasks:", "Trainers:", "Probes:", "Renderers:")
                .contains("regression", "supervised", "random-plane", "random-line", "coin")
                .contains("[trains SupervisedTask]")
                .contains("module unnamed, from ");
    }

    @Test
    void unknownNamesListWhatIsAvailable() {
        InProcess.Result r = run("run", "--task", "regresion", "--trainer", "supervised", "--out", tmp.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("error: Unknown task 'regresion'. Available: cartpole, coin, mnist, regression.");
        assertThat(run("run", "--task", "regression", "--trainer", "dqm").err())
                .contains("Unknown trainer 'dqm'. Available: ").contains("supervised").contains("Run 'losssurface list'");
        assertThat(run("run", "--task", "regression", "--trainer", "supervised", "--probe", "plane").err())
                .contains("Unknown probe 'plane'. Available: convexity, hessian, interpolate, random-line, random-plane, trajectory-pca.");
    }

    @Test
    void unknownSettingsAreRejectedWithTheKnownKeys() {
        InProcess.Result r = run("run", "--task", "regression", "--trainer", "supervised", "--set", "plane.grd=5", "--out", tmp.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown setting 'plane.grd'.")
                .contains("probe random-plane: plane.bias (default zero), plane.grid (default 51x51)")
                .contains("task regression: regression.hidden");
        assertThat(r.err()).doesNotContain("Exception");
        assertThat(tmp.toFile().list()).as("nothing was run").isEmpty();
    }

    @Test
    void badValuesNameTheSettingAndTheRange() {
        assertThat(run("run", "--task", "regression", "--trainer", "supervised", "--set", "plane.grid=0").err())
                .contains("error: plane.grid points per axis must be between 2 and 10001, was 0.");
        assertThat(run("run", "--task", "regression", "--trainer", "supervised", "--set", "plane.x-range=NaN:1").err())
                .contains("error: plane.x-range bounds must be finite numbers, was NaN:1.0.");
        assertThat(run("run", "--task", "regression", "--trainer", "supervised", "--set", "noequals").err())
                .contains("Setting 'noequals' is not of the form key=value");
    }

    @Test
    void aTrainerThatDoesNotFitTheTaskIsRefused() {
        InProcess.Result r = run("run", "--task", "coin", "--trainer", "supervised", "--out", tmp.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Trainer 'supervised' cannot train task 'coin': it trains SupervisedTasks. "
                + "No trainer here fits that task.");
    }

    @Test
    void usageErrorsExitWithTwo() {
        InProcess.Result r = run("run", "--task", "regression");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--trainer=TRAINER'");
        assertThat(run("frobnicate").status()).isEqualTo(2);
        assertThat(run("--help").status()).isZero();
    }

    @Test
    void aDuplicateNameNamesBothClasses() {
        TaskProvider other = new TaskProvider() {
            @Override
            public String name() {
                return "regression";
            }

            @Override
            public String description() {
                return "impostor";
            }

            @Override
            public Task create(Settings settings) {
                return null;
            }
        };
        Plugins found = new PluginDiscovery(java.util.Optional.empty(), java.util.Optional.empty()).discover();
        java.util.Map<Kind<?>, List<Plugin<?>>> byKind = new java.util.LinkedHashMap<>();
        for (Kind<?> kind : Kind.ALL) {
            byKind.put(kind, new java.util.ArrayList<>(found.of(kind)));
        }
        byKind.get(Kind.TASK).add(new Plugin<>(other, "regression", "my.plugin", "/tmp/my-plugin.jar"));
        assertThatThrownBy(() -> new Plugins(byKind))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("Two task plugins are named 'regression': losssurface.plugin.supervised.RegressionTaskProvider")
                .hasMessageContaining("and " + other.getClass().getName() + " (module my.plugin, /tmp/my-plugin.jar)");
    }

    @Test
    void aRelativeOutputFolderWorksLikeAnAbsoluteOne() {
        Path relative = Path.of("").toAbsolutePath().relativize(tmp.toAbsolutePath());
        assertThat(relative.isAbsolute()).isFalse();
        InProcess.Result r = run("run", "--task", "regression", "--trainer", "supervised", "--probe", "random-line",
                "--set", "supervised.epochs=2", "--set", "regression.samples=64", "--set", "line.points=5",
                "--out", relative.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Results: " + tmp.toAbsolutePath().resolve("regression_supervised_random-line_"))
                .contains("files: ").contains("../index.html");
    }

    @Test
    void aRunTrainsProbesAndSaysWhereTheResultsAre() {
        InProcess.Result r = run("run", "--task", "regression", "--trainer", "supervised", "--probe", "random-line",
                "--set", "supervised.epochs=3", "--set", "regression.samples=64", "--set", "line.points=9",
                "--out", tmp.toString(), "--seed", "5");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Results: " + tmp.resolve("regression_supervised_random-line_"))
                .contains("test-loss: ").contains("time: train ");
        assertThat(r.err()).contains("Surface 100% 9/9 points");
        java.io.File[] runs = tmp.toFile().listFiles(java.io.File::isDirectory);
        assertThat(runs).hasSize(1);
        Path runDir = runs[0].toPath();
        assertThat(tmp.resolve("index.html")).as("the output folder's index of runs lists the run it was drawn for,"
                + " with the pictures drawn before it").content()
                .contains(runDir.getFileName() + "/index.html").contains(runDir.getFileName() + "/line.png");
        assertThat(runDir.resolve("state.json")).content().contains("\"state\" : \"complete\"");
        assertThat(runDir.resolve("index.html")).exists();
        assertThat(runDir.resolve("line.png")).exists();
        assertThat(runDir.resolve("loss.npy")).exists();
        assertThat(runDir.resolve("provenance.json")).content().contains("\"task\" : \"regression\"")
                .contains("\"line.points\" : \"9\"").contains("\"line.norm\" : \"filter\"").contains("\"train\" :");
        assertThat(r.out()).contains("files: alphas.npy, loss.npy");
        // each key once: the probe's name stays the name, its report sits beside it, the model's summary once
        String provenance = read(runDir.resolve("provenance.json"));
        assertThat(provenance).contains("\"probe\" : \"random-line\"").contains("\"probe-info\" : {")
                .containsOnlyOnce("\"model\" :").containsOnlyOnce("\"test-loss\"");
    }

    @Test
    void aRunDrawsTheModelAnotherRunTrainedWithFrom() throws Exception {
        Path first = tmp.resolve("first");
        InProcess.Result trained = run("run", "--task", "regression", "--trainer", "supervised", "--probe", "random-line",
                "--set", "supervised.epochs=2", "--set", "regression.samples=64", "--set", "line.points=5",
                "--renderer", "data", "--out", first.toString());
        assertThat(trained.status()).as(trained.err()).isZero();
        Path from = java.nio.file.Files.list(first).filter(java.nio.file.Files::isDirectory).findFirst().orElseThrow();

        Path second = tmp.resolve("second");
        InProcess.Result again = run("run", "--task", "regression", "--trainer", "supervised", "--probe", "random-plane",
                "--set", "supervised.epochs=2", "--set", "regression.samples=64", "--set", "plane.grid=3",
                "--set", "surface.evaluator=plain", "--renderer", "data", "--from", from.toString(), "--out", second.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).contains("Trained model restored from " + from.resolve("trained")).doesNotContain("Training ");
        assertThat(again.out()).contains("time: restore ");
        Path drawn = java.nio.file.Files.list(second).filter(java.nio.file.Files::isDirectory).findFirst().orElseThrow();
        assertThat(java.nio.file.Files.readAllBytes(drawn.resolve("theta.npy"))).as("the same theta*")
                .isEqualTo(java.nio.file.Files.readAllBytes(from.resolve("theta.npy")));
        assertThat(drawn.resolve("provenance.json")).content().contains("\"trained-in\" : \"" + from.toAbsolutePath().normalize());
        assertThat(drawn.resolve("trained")).as("the run keeps the model, so that it resumes on its own").isDirectory();

        InProcess.Result otherTraining = run("run", "--task", "regression", "--trainer", "supervised", "--set", "supervised.epochs=3",
                "--set", "regression.samples=64", "--from", from.toString(), "--out", tmp.resolve("third").toString());
        assertThat(otherTraining.status()).isEqualTo(2);
        assertThat(otherTraining.err()).contains("was trained with other trainer settings: supervised.epochs=2 there, 3 here")
                .doesNotContain("Training ");
        InProcess.Result otherTask = run("run", "--task", "cartpole", "--trainer", "dqn", "--from", from.toString(),
                "--out", tmp.resolve("fourth").toString());
        assertThat(otherTask.status()).isEqualTo(2);
        assertThat(otherTask.err()).contains("was trained by task 'regression' and trainer 'supervised', but this run asks for"
                + " task 'cartpole' and trainer 'dqn'");
        InProcess.Result nothing = run("run", "--task", "regression", "--trainer", "supervised", "--from", tmp.resolve("nowhere").toString(),
                "--out", tmp.resolve("fifth").toString());
        assertThat(nothing.status()).isEqualTo(2);
        assertThat(nothing.err()).contains("--from " + tmp.resolve("nowhere") + " does not exist.");
        for (String refused : List.of("third", "fourth", "fifth")) {
            assertThat(tmp.resolve(refused)).as("a refused --from makes no run folder").doesNotExist();
        }
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anAgentTrainedOnceIsDrawnOnEveryObjectiveWithTheSameDirections() throws Exception {
        InProcess.Result r = run("run", "--task", "cartpole", "--trainer", "dqn", "--probe", "random-line",
                "--set", "q.steps=1500", "--set", "line.points=5", "--set", "rl.objective=td-frozen,return",
                "--set", "rl.transitions=200", "--set", "rl.episodes=2", "--out", tmp.toString(), "--seed", "3");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).containsOnlyOnce("Training dqn 100%").contains("Trained once; drawing 2 objectives of it");
        assertThat(r.out()).contains("Results (td-frozen): " + tmp.resolve("cartpole_dqn_random-line_td-frozen_"))
                .contains("Results (return): " + tmp.resolve("cartpole_dqn_random-line_return_"));
        java.io.File[] runs = tmp.toFile().listFiles(java.io.File::isDirectory);
        assertThat(runs).hasSize(2);
        Path frozen = java.util.Arrays.stream(runs).map(java.io.File::toPath)
                .filter(p -> p.getFileName().toString().contains("td-frozen")).findFirst().orElseThrow();
        Path ret = java.util.Arrays.stream(runs).map(java.io.File::toPath)
                .filter(p -> p.getFileName().toString().contains("_return_")).findFirst().orElseThrow();
        assertThat(frozen.resolve("loss.npy")).exists();
        assertThat(ret.resolve("return.npy")).exists();
        for (String same : List.of("theta.npy", "direction-1.npy")) {
            assertThat(java.nio.file.Files.readAllBytes(frozen.resolve(same))).as(same)
                    .isEqualTo(java.nio.file.Files.readAllBytes(ret.resolve(same)));
        }
        assertThat(ret.resolve("provenance.json")).content().contains("\"objective-name\" : \"return\"")
                .contains("shared with the other objectives of this model: [td-frozen, return]");
    }

    @Test
    void aRunThatFailsSaysWhyInItsStateFile() throws Exception {
        InProcess.Result r = run("run", "--task", "regression", "--trainer", "supervised", "--set", "regression.samples=64",
                "--set", "supervised.validation=500", "--out", tmp.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("supervised.validation is 500 but the training set has only 48 examples");
        java.io.File[] runs = tmp.toFile().listFiles(java.io.File::isDirectory);
        assertThat(runs).hasSize(1);
        assertThat(runs[0].toPath().resolve("state.json")).content().contains("\"state\" : \"failed\"")
                .contains("during training: supervised.validation is 500 but the training set has only 48 examples");
    }
}
