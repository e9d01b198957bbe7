package losssurface.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills while a run writes its numbers: a real full disk, a small tmpfs, so it needs
 * the right to mount one (root, as on the CI machines; skipped elsewhere). The run must say that
 * its numbers could not be written and that the surface is kept, leave a folder that is not
 * taken for a complete run, and finish with {@code resume} once there is room.
 */
class DiskFullIT {

    @TempDir
    Path tmp;

    Path mount;

    static int sh(String... cmd) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            sh("umount", mount.toString());
        }
    }

    @Test
    void aFullDiskWhileWritingTheNumbersIsSaidAndResumeFinishesTheRun() throws Exception {
        // A run whose surface is computed (every tile kept) but whose numbers were never written.
        Launcher.Result first = Launcher.java(tmp, "run", "--task", "regression", "--trainer", "supervised", "--set", "plane.grid=101",
                "--set", "supervised.epochs=3", "--renderer", "data", "--out", tmp.resolve("runs").toString());
        assertThat(first.status()).as(first.err()).isZero();
        Path run;
        try (Stream<Path> dirs = Files.list(tmp.resolve("runs"))) {
            run = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!List.of("state.json", "layout.json", "history.json").contains(f.getFileName().toString())) {
                    Files.delete(f);
                }
            }
        }
        Files.writeString(run.resolve("state.json"), Files.readString(run.resolve("state.json"))
                .replace("\"complete\"", "\"interrupted\"").replaceFirst("\"stage\" : \"[^\"]*\"", "\"stage\" : \"writing the numbers\""));
        long used;
        try (Stream<Path> all = Files.walk(run)) {
            used = all.filter(Files::isRegularFile).mapToLong(f -> (f.toFile().length() + 4095) / 4096 * 4096).sum();
        }

        // Room for the kept files and the state file, not for the 81 KB loss.npy.
        mount = Files.createDirectories(tmp.resolve("small-disk"));
        int mounted = sh("mount", "-t", "tmpfs", "-o", "size=" + (used / 1024 + 48) + "k", "tmpfs", mount.toString());
        if (mounted != 0) {
            mount = null;
            Assumptions.abort("cannot mount a tmpfs here (needs root)");
        }
        Assumptions.assumeTrue(sh("cp", "-r", run.toString(), mount.toString()) == 0, "copy onto the small disk");
        Path small = mount.resolve(run.getFileName());

        Launcher.Result full = Launcher.java(tmp, "resume", small.toString());
        assertThat(full.status()).isEqualTo(1);
        assertThat(full.err()).contains("The run's numbers (surface.json and the .npy files) could not be written into " + small
                + ": No space left on device. Nothing else was drawn. The surface itself is kept in " + small.resolve("tiles"))
                .contains("then run 'losssurface resume " + small + "'").doesNotContain("Exception").doesNotContain("please report");
        Launcher.Result render = Launcher.java(tmp, "render", small.toString());
        assertThat(render.status()).isEqualTo(1);
        assertThat(render.err()).contains("is an incomplete run");

        assertThat(sh("mount", "-o", "remount,size=32m", mount.toString())).isZero();
        Launcher.Result resumed = Launcher.java(tmp, "resume", small.toString());
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(small.resolve("state.json")).content().contains("\"complete\"");
        assertThat(small.resolve("surface.json")).isRegularFile();
    }
}
