package losssurface.runner;

import losssurface.runner.testing.InProcess;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes a user can make, driven through the command line: each ends with the exit status of a
 * user error, a message about the user's input, and no stack trace or "please report it". (Plugin
 * mistakes need the module path: {@code LauncherIT}; a NaN in the data: {@code ProbeCommandTest}.)
 */
class UserErrorsTest {

    @TempDir
    static Path tmp;

    static Path run;

    @BeforeAll
    static void oneRun() throws Exception {
        InProcess.Result r = MainTest.run("run", "--task", "regression", "--trainer", "supervised", "--set", "plane.grid=5",
                "--set", "supervised.epochs=2", "--renderer", "data", "--out", tmp.resolve("runs").toString());
        assertThat(r.status()).as(r.err()).isZero();
        try (var dirs = Files.list(tmp.resolve("runs"))) {
            run = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    static void userError(InProcess.Result r, int status, String... phrases) {
        assertThat(r.status()).as(r.err()).isEqualTo(status);
        assertThat(r.err()).contains(phrases).doesNotContain("Exception").doesNotContain("please report").doesNotContain("\tat ");
    }

    /** A copy of the run whose surface.json is replaced by {@code text}. */
    static Path damagedCopy(String name, String text) throws Exception {
        Path copy = Files.createDirectories(tmp.resolve(name));
        try (var files = Files.list(run)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Files.writeString(copy.resolve("surface.json"), text);
        return copy;
    }

    @Test
    void aTruncatedOrEmptySurfaceFileIsNamed() throws Exception {
        String whole = Files.readString(run.resolve("surface.json"));
        Path cut = damagedCopy("cut", whole.substring(0, whole.length() / 2));
        userError(MainTest.run("render", cut.toString()), 1, cut.resolve("surface.json") + " is damaged: it is not complete JSON",
                "Run it again");
        Path empty = damagedCopy("empty", "");
        userError(MainTest.run("render", empty.toString()), 1, empty.resolve("surface.json") + " is empty");
        Path other = damagedCopy("other", "{\"hello\": 1}");
        userError(MainTest.run("render", other.toString()), 1, other.resolve("surface.json") + " lacks 'axes'");
        userError(MainTest.run("render", tmp.resolve("nowhere").toString()), 1, "nowhere does not exist");
    }

    @Test
    void compareIntoAnExistingFileAndOfDifferentObjectivesAreSaid() throws Exception {
        Path file = Files.writeString(tmp.resolve("existing.txt"), "keep me");
        userError(MainTest.run("compare", run.toString(), run.toString(), "--out", file.toString()), 2,
                "--out " + file + " is a file, not a folder");
        assertThat(file).hasContent("keep me");

        String whole = Files.readString(run.resolve("surface.json"));
        Path classifier = damagedCopy("classifier", whole.replaceFirst("\"objective\" : \"[^\"]*\"",
                "\"objective\" : \"mean cross-entropy over digits\""));
        InProcess.Result compared = MainTest.run("compare", run.toString(), classifier.toString(), "--out", tmp.resolve("cmp").toString());
        assertThat(compared.status()).as(compared.err()).isZero();
        assertThat(compared.out()).contains("warning: The runs differ in objective: mean squared error")
                .contains("mean cross-entropy over digits (classifier)");
    }

    @Test
    void aHugeGridIsRefusedBeforeTrainingWithItsSize() {
        InProcess.Result r = MainTest.run("run", "--task", "regression", "--trainer", "supervised", "--set", "plane.grid=10001",
                "--out", tmp.resolve("huge").toString());
        userError(r, 2, "plane.grid asks for 100,020,001 points, more than surface.max-points=250,000",
                "--set surface.max-points=100020001");
        assertThat(r.err()).doesNotContain("Training");
        assertThat(tmp.resolve("huge")).doesNotExist();
    }

    @Test
    void aSurfaceSaysItsSizeAndAnEstimateBeforeItIsDone() throws Exception {
        InProcess.Result r = MainTest.run("run", "--task", "regression", "--trainer", "supervised", "--set", "plane.grid=40",
                "--set", "supervised.epochs=1", "--renderer", "data", "--out", tmp.resolve("sized").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("Surface: 1,600 points \\(40 x 40\\), \\d+ tiles of \\d+ rows?, \\d+ threads?;"
                + " each point is one evaluation of the mean squared error").containsPattern("First tile: [\\d,]+ points in");
    }
}
