package losssurface.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball the build makes before the integration tests, unpacked into an empty folder
 * and run with a PATH that holds only {@code bash} and {@code java}: no Maven, no source.
 */
class ReleaseIT {

    static final Path RELEASE = Path.of(System.getProperty("losssurface.release", "target/losssurface-release.tar.gz"));

    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {
    }

    /** Runs {@code home/bin/losssurface args} with PATH = {@code bin} only. */
    Result run(Path home, Path bin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/losssurface").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("HOME", System.getProperty("user.home"));
        pb.environment().put("LOSSSURFACE_CACHE", tmp.resolve("cache").toString());
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("bin/losssurface " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theReleaseRunsWithOnlyAJavaRuntime() throws Exception {
        assertThat(RELEASE).as("made by the build's pre-integration-test phase").isRegularFile();
        Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xzf", RELEASE.toAbsolutePath().toString(), "-C", unpacked.toString())
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        Path home;
        try (var entries = Files.list(unpacked)) {
            home = entries.findFirst().orElseThrow();
        }
        assertThat(home.getFileName().toString()).startsWith("losssurface-");
        assertThat(home.resolve("bin/losssurface")).isExecutable();
        assertThat(home.resolve("README.md")).isRegularFile();
        assertThat(home.resolve("LICENSE")).isRegularFile();
        assertThat(home.resolve("THIRD-PARTY.md")).content().contains("ONNX Runtime").contains("MIT");
        try (var lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("runner-.*\\.jar"))
                    .anyMatch(n -> n.matches("bench-.*\\.jar"));
        }
        assertThat(home.resolve("plugins")).isDirectory();

        // A PATH with bash and java and nothing else: no mvn, no git.
        Path bin = Files.createDirectories(tmp.resolve("path"));
        Files.createSymbolicLink(bin.resolve("bash"), Path.of("/bin/bash").toRealPath());
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));

        Result version = run(home, bin, "--version");
        assertThat(version.status()).as(version.err()).isZero();
        assertThat(version.out()).containsPattern("losssurface \\S+ \\(commit [0-9a-f]{40}\\)").contains("Java ").contains("CPU ")
                .contains("BLAS OPENBLAS");

        // A jar dropped into plugins/ is loaded; one that provides nothing is named with a warning.
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Automatic-Module-Name"), "example.library");
        try (OutputStream file = Files.newOutputStream(home.resolve("plugins/library.jar"));
             JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.putNextEntry(new java.util.jar.JarEntry("example/library/Nothing.txt"));
            jar.write("nothing".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Result list = run(home, bin, "list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains("regression").contains("random-plane");
        assertThat(list.err()).contains("warning: plugin jar library.jar (module example.library) provides no task, trainer, probe"
                + " or renderer");

        Result small = run(home, bin, "run", "--task", "regression", "--trainer", "supervised", "--set", "plane.grid=5",
                "--set", "supervised.epochs=3", "--set", "threads=1", "--out", tmp.resolve("runs").toString());
        assertThat(small.status()).as(small.err()).isZero();
        Path runDir;
        try (var runs = Files.list(tmp.resolve("runs"))) {
            runDir = runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(runDir.resolve("surface.json")).isRegularFile();
        assertThat(runDir.resolve("provenance.json")).content().contains("\"cpu\"").contains("\"blas\"").contains("\"java\"")
                .containsPattern("\"git-commit\" : \"[0-9a-f]{40}\"")
                .as("threads=1 sizes libnd4j's OpenMP pool too, through the launcher").contains("\"omp-num-threads\" : \"1\"");
    }
}
