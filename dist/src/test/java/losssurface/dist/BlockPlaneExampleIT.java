package losssurface.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A probe written by a third party ({@code examples/block-plane}, built against the api alone, no
 * tiling code) gets the framework's surface job: killed with SIGKILL mid-surface, its run resumes
 * in its own folder to the bytes of a run that was never interrupted, and a grid over
 * {@code surface.max-points} is refused before training.
 */
class BlockPlaneExampleIT {

    @TempDir
    Path tmp;

    static String[] run(Path plugins, Path out, int grid) {
        List<String> all = new ArrayList<>(List.of("run", "--plugin-path", plugins.toString(), "--task", "regression",
                "--trainer", "supervised", "--probe", "block-plane", "--seed", "3", "--set", "regression.samples=40000",
                "--set", "supervised.epochs=2", "--set", "block-plane.grid=" + grid, "--set", "surface.evaluator=plain",
                "--out", out.toString()));
        return all.toArray(String[]::new);
    }

    @Test
    void aThirdPartyProbeKilledMidSurfaceResumesToTheSameBytes() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        ExampleProjects.buildJar(ExampleProjects.ROOT.resolve("block-plane"), plugins.resolve("block-plane.jar"), tmp);

        Launcher.Result tooBig = Launcher.java(tmp, run(plugins, tmp.resolve("big"), 600));
        assertThat(tooBig.status()).isEqualTo(2);
        assertThat(tooBig.err()).contains("block-plane.grid asks for 360,000 points, more than surface.max-points=250,000")
                .doesNotContain("Training");

        Path killedOut = tmp.resolve("killed");
        Launcher.Started started = Launcher.start(tmp, run(plugins, killedOut, 61));
        Path dir = ResumeIT.afterTiles(killedOut, 2, started);
        started.process().destroyForcibly(); // SIGKILL: no hook runs, nothing is written
        assertThat(started.process().waitFor()).isEqualTo(137);
        assertThat(dir.resolve("loss.npy")).doesNotExist();

        Launcher.Result resumed = Launcher.java(tmp, "resume", dir.toString(), "--plugin-path", plugins.toString());
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(dir.resolve("surface.json")).content().contains("\"method\" : \"block-plane\"")
                .containsPattern("\"tiles-resumed\" : ([2-9]|1[0-6])").contains("\"tiles\" : 16");

        Path cleanOut = tmp.resolve("clean");
        Launcher.Result clean = Launcher.java(tmp, run(plugins, cleanOut, 61));
        assertThat(clean.status()).as(clean.err()).isZero();
        Path cleanDir = ResumeIT.runIn(cleanOut);
        for (String file : List.of("loss.npy", "theta.npy", "direction-1.npy", "direction-2.npy", "alphas.npy", "betas.npy")) {
            assertThat(Files.readAllBytes(dir.resolve(file))).as(file).isEqualTo(Files.readAllBytes(cleanDir.resolve(file)));
        }
    }
}
