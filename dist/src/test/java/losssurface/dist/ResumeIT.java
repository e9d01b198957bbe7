package losssurface.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Surfaces survive their process: a run killed with SIGKILL mid-surface, or stopped with
 * SIGTERM, is finished by {@code resume} in its own folder, computing only the missing tiles, and
 * its numbers are byte for byte those of a run that was never interrupted.
 */
class ResumeIT {

    @TempDir
    Path tmp;

    /** A surface of 16 tiles that takes some seconds (the plain evaluator over 10,000 examples). */
    static final String[] RUN = {"run", "--task", "regression", "--trainer", "supervised", "--seed", "7",
        "--set", "regression.samples=40000", "--set", "supervised.epochs=2", "--set", "plane.grid=61",
        "--set", "surface.evaluator=plain"};

    static String[] with(String... more) {
        List<String> all = new ArrayList<>(List.of(RUN));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Waits until the run in {@code out} has saved {@code tiles} tiles, and returns its folder. */
    static Path afterTiles(Path out, int tiles, Launcher.Started started) throws Exception {
        for (int i = 0; i < 6000; i++) {
            Path dir = runIn(out);
            if (dir != null && Files.isDirectory(dir.resolve("tiles"))) {
                try (Stream<Path> s = Files.list(dir.resolve("tiles"))) {
                    if (s.filter(p -> p.getFileName().toString().matches("tile-\\d+\\.npy")).count() >= tiles) {
                        return dir;
                    }
                }
            }
            assertThat(started.process().isAlive()).as("the run ended before it saved %d tiles: %s", tiles,
                    Files.readString(started.err())).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("no " + tiles + " tiles after 120 s");
    }

    static Path runIn(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return null;
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(Files::isDirectory).findFirst().orElse(null);
        }
    }

    @Test
    void aRunKilledMidSurfaceResumesToTheSameBytes() throws Exception {
        Path killedOut = tmp.resolve("killed");
        Launcher.Started started = Launcher.start(tmp, with("--out", killedOut.toString()));
        Path dir = afterTiles(killedOut, 2, started);
        started.process().destroyForcibly(); // SIGKILL: no hook runs, nothing is written
        assertThat(started.process().waitFor()).isEqualTo(137);
        assertThat(dir.resolve("state.json")).content().contains("\"state\" : \"running\"").contains("\"stage\" : \"surface\"");
        assertThat(dir.resolve("loss.npy")).doesNotExist();

        Launcher.Result render = Launcher.java(tmp, "render", dir.toString());
        assertThat(render.status()).isEqualTo(1);
        assertThat(render.err()).contains("is an incomplete run (stopped without a word during surface")
                .contains("surface tiles kept").contains("Finish it with: losssurface resume " + dir);

        Launcher.Result resumed = Launcher.java(tmp, "resume", dir.toString());
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("Resuming " + dir).contains("Trained model restored from " + dir.resolve("trained"))
                .doesNotContain("Training restarts").contains("resumed");
        assertThat(dir.resolve("state.json")).content().contains("\"state\" : \"complete\"");
        assertThat(dir.resolve("surface.json")).content().containsPattern("\"tiles-resumed\" : ([2-9]|1[0-6])")
                .contains("\"tiles\" : 16");
        assertThat(dir.resolve("provenance.json")).content().contains("\"engine\" : \"local\"").contains("\"resumes\" : [")
                .contains(": resumed (local) from: stopped without a word during surface");
        assertThat(dir.resolve("trained").resolve("model.zip")).as("the trained network as a DL4J zip").isRegularFile();

        Path cleanOut = tmp.resolve("clean");
        Launcher.Result clean = Launcher.java(tmp, with("--out", cleanOut.toString()));
        assertThat(clean.status()).as(clean.err()).isZero();
        Path cleanDir = runIn(cleanOut);
        for (String file : List.of("loss.npy", "theta.npy", "direction-1.npy", "direction-2.npy", "alphas.npy", "betas.npy")) {
            assertThat(Files.readAllBytes(dir.resolve(file))).as(file).isEqualTo(Files.readAllBytes(cleanDir.resolve(file)));
        }

        Launcher.Result again = Launcher.java(tmp, "resume", dir.toString());
        assertThat(again.status()).isZero();
        assertThat(again.out()).contains("is complete: there is nothing to resume");
    }

    @Test
    void sigtermAndCtrlCSayWhatWasKeptAndAStaleTileSetIsRefused() throws Exception {
        Path out = tmp.resolve("stopped");
        Launcher.Started started = Launcher.start(tmp, with("--out", out.toString()));
        Path dir = afterTiles(out, 1, started);
        started.process().destroy(); // SIGTERM
        Launcher.Result stopped = started.finish();
        assertThat(stopped.status()).isEqualTo(143);
        assertThat(stopped.err()).contains("Interrupted during surface;").contains("surface tiles kept in " + dir)
                .contains("Resume with: losssurface resume " + dir);
        assertThat(dir.resolve("state.json")).content().contains("\"state\" : \"interrupted\"")
                .contains("interrupted by a signal during surface");

        // tiles of another theta* (e.g. training that is not reproducible) are refused, never mixed in
        Path grid = dir.resolve("tiles").resolve("grid.json");
        Files.writeString(grid, Files.readString(grid).replaceFirst("\"theta-sha256\" : \"[0-9a-f]{8}", "\"theta-sha256\" : \"00000000"));
        Launcher.Result refused = Launcher.java(tmp, "resume", dir.toString());
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("The saved tiles in " + dir.resolve("tiles") + " belong to another surface: its theta-sha256 was")
                .contains("Training gave other parameters than before");

        // Ctrl-C: the same, with the shell's exit status for SIGINT
        Path interruptedOut = tmp.resolve("interrupted");
        Launcher.Started again = Launcher.start(tmp, with("--out", interruptedOut.toString()));
        Path other = afterTiles(interruptedOut, 1, again);
        assertThat(new ProcessBuilder("kill", "-INT", String.valueOf(again.process().pid())).start().waitFor()).isZero();
        Launcher.Result interrupted = again.finish();
        assertThat(interrupted.status()).isEqualTo(130);
        assertThat(interrupted.err()).contains("Resume with: losssurface resume " + other);

        Launcher.Result missing = Launcher.java(tmp, "resume", tmp.resolve("nowhere").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist. Name the folder of the run to finish.");
    }

    @Test
    void twoResumesAtOnceOneWorksTheOtherNamesItAndTheBytesAreRight() throws Exception {
        Path out = tmp.resolve("twice");
        Launcher.Started started = Launcher.start(tmp, with("--out", out.toString()));
        Path dir = afterTiles(out, 2, started);
        started.process().destroyForcibly(); // SIGKILL: its lock is released by the system, its lock file still names it
        started.process().waitFor();
        assertThat(dir.resolve(".lock-run")).content().contains("process " + started.process().pid());

        Launcher.Started a = Launcher.start(tmp, "resume", dir.toString());
        Launcher.Started b = Launcher.start(tmp, "resume", dir.toString());
        Launcher.Result first = a.finish();
        Launcher.Result second = b.finish();
        List<Launcher.Result> results = List.of(first, second);
        assertThat(results.stream().filter(r -> r.status() == 0).count()).as("exactly one resume works: %s", results).isEqualTo(1);
        Launcher.Result worked = first.status() == 0 ? first : second;
        Launcher.Result refused = first.status() == 0 ? second : first;
        long winner = first.status() == 0 ? a.process().pid() : b.process().pid();
        assertThat(worked.err()).contains("Took over the lock of " + dir.getFileName() + " left by process " + started.process().pid());
        // it loses at the lock, or, starting later, at the state file the winner already wrote: either way it names the winner
        assertThat(refused.err()).containsPattern("(is being worked on by process " + winner + " on .* \\(resume\\)"
                + "|is still running in process " + winner + ")").containsIgnoringCase("wait for it to finish, or stop it first");
        assertThat(refused.status()).isIn(1, 2);
        assertThat(dir.resolve("state.json")).content().contains("\"state\" : \"complete\"");

        Path cleanOut = tmp.resolve("clean");
        assertThat(Launcher.java(tmp, with("--out", cleanOut.toString())).status()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("loss.npy"))).isEqualTo(Files.readAllBytes(runIn(cleanOut).resolve("loss.npy")));
        assertThat(dir.resolve(".lock-run")).as("released, and it names no one").isEmptyFile();
    }

    @Test
    void sharesOfTheTilesComputedApartAssembleToTheSameBytes() throws Exception {
        Path out = tmp.resolve("shared");
        Launcher.Result first = Launcher.java(tmp, with("--out", out.toString(), "--tiles", "1/3"));
        assertThat(first.status()).as(first.err()).isZero();
        Path dir = runIn(out);
        assertThat(first.out()).contains("Partial surface (share 1/3 of the tiles computed; 10 of 16 tiles are still missing)")
                .contains("'losssurface resume " + dir + " --tiles K/N'");
        assertThat(dir.resolve("state.json")).content().contains("\"state\" : \"partial\"");
        assertThat(dir.resolve("loss.npy")).doesNotExist();
        Launcher.Result render = Launcher.java(tmp, "render", dir.toString());
        assertThat(render.status()).isEqualTo(1);
        assertThat(render.err()).contains("is an incomplete run (partial: share 1/3 of the tiles computed");

        // a share that cannot restore the model trains again, to the same theta*
        try (Stream<Path> trained = Files.walk(dir.resolve("trained"))) {
            trained.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Launcher.Result second = Launcher.java(tmp, "resume", dir.toString(), "--tiles", "2/3");
        assertThat(second.err()).contains("Training restarts: the run stopped before training ended");
        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).contains("5 of 16 tiles are still missing");
        Launcher.Result rest = Launcher.java(tmp, "resume", dir.toString());
        assertThat(rest.status()).as(rest.err()).isZero();
        assertThat(dir.resolve("surface.json")).content().contains("\"tiles-resumed\" : 11");

        Path cleanOut = tmp.resolve("clean");
        assertThat(Launcher.java(tmp, with("--out", cleanOut.toString())).status()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("loss.npy"))).isEqualTo(Files.readAllBytes(runIn(cleanOut).resolve("loss.npy")));

        Launcher.Result done = Launcher.java(tmp, "resume", dir.toString(), "--tiles", "2/3");
        assertThat(done.status()).as("a complete run has nothing to resume, whatever the share").isZero();
        assertThat(done.out()).contains("is complete: there is nothing to resume");
        Launcher.Result bad = Launcher.java(tmp, "resume", dir.toString(), "--tiles", "4/3");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--tiles must be K/N with 1 <= K <= N <= 100000, was 4/3.");
        Launcher.Result badShare = Launcher.java(tmp, with("--out", out.toString(), "--tiles", "three"));
        assertThat(badShare.status()).isEqualTo(2);
        assertThat(badShare.err()).contains("--tiles must be K/N, e.g. 3/8 for the third of eight shares, was 'three'.");
    }
}
