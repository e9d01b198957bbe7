package losssurface.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * The Spark job on a real standalone cluster on the loopback: a Master and two Workers, each a JVM of its own, whose
 * executors are JVMs of their own too ({@link StandaloneCluster}). An executor is killed with SIGKILL while it computes
 * its share: Spark retries the lost task, the job completes, the numbers are byte for byte a local run's, and provenance
 * lists the retried share's tiles by attempt. An executor that cannot see the run folder stops the driver with a sentence.
 * Run by {@code .ci/run} (the normal build leaves out {@code *SlowTest}); about two minutes.
 */
class SparkClusterSlowTest {

    @TempDir
    static Path tmp;

    static StandaloneCluster cluster;
    static boolean hiding;

    /** 41 x 41 points in 14 tiles of 3 rows: shares 2/3 and 3/3 have 5 and 4 tiles of about a second each. */
    static final String[] RUN = {"run", "--task", "regression", "--trainer", "supervised", "--seed", "5",
        "--set", "regression.samples=20000", "--set", "supervised.epochs=2"};

    @BeforeAll
    static void start() throws Exception {
        hiding = StandaloneCluster.canHide(tmp);
        Path hidden = Files.createDirectories(tmp.resolve("hidden"));
        cluster = StandaloneCluster.start(tmp, Arrays.asList(null, hiding ? hidden : null));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            List<ProcessHandle> started = cluster.all();
            cluster.close();
            assertThat(started).as("every process the test started has ended").noneMatch(ProcessHandle::isAlive);
        }
    }

    record Outcome(int status, String out, String err) {
    }

    static Outcome submit(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (JavaSparkContext sc = new JavaSparkContext(cluster.conf("losssurface-cluster-test", 2))) {
            status = SparkSurface.run(sc, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String[] with(String[] base, String... more) {
        return SparkSurfaceTest.with(base, more);
    }

    static Path onlyRun(Path out) throws Exception {
        return SparkSurfaceTest.onlyRun(out);
    }

    /** The tiles of share {@code k}/3 saved in {@code runDir} so far. */
    static long tilesOf(Path runDir, int k) {
        Path tiles = runDir.resolve("tiles");
        if (!Files.isDirectory(tiles)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(tiles)) {
            return s.filter(f -> f.getFileName().toString().matches("tile-\\d+\\.json")).filter(f -> {
                try {
                    return Files.readString(f).contains("\"share\" : \"" + k + "/3\"");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void anExecutorKilledMidShareIsRetriedAndTheNumbersAreTheLocalRunsByteForByte() throws Exception {
        Path sparkOut = Files.createDirectories(tmp.resolve("spark"));
        AtomicReference<String> killed = new AtomicReference<>();
        // the watcher: once an executor holds share 2/3 or 3/3 and has saved one of its tiles (not all), SIGKILL it
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            Pattern holder = Pattern.compile("process (\\d+) on ");
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (killed.get() == null && System.nanoTime() < end) {
                try (Stream<Path> runs = Files.list(sparkOut)) {
                    for (Path run : runs.filter(Files::isDirectory).toList()) {
                        for (int k = 2; k <= 3 && killed.get() == null; k++) {
                            Path name = run.resolve(".lock-share-" + k + "-of-3");
                            Matcher m = holder.matcher(Files.isRegularFile(name) ? Files.readString(name) : "");
                            long saved = tilesOf(run, k);
                            if (!m.find() || saved < 1 || saved >= (k == 2 ? 5 : 4)) {
                                continue;
                            }
                            long pid = Long.parseLong(m.group(1));
                            for (ProcessHandle executor : cluster.executors()) {
                                if (executor.pid() == pid) {
                                    executor.destroyForcibly(); // SIGKILL
                                    killed.set("executor " + pid + " during share " + k + "/3, after " + saved + " of its tiles");
                                }
                            }
                        }
                    }
                    Thread.sleep(20);
                } catch (java.io.IOException e) {
                    // the folder is being written; look again
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        Outcome spark = submit(with(new String[] {"--shares", "3"}, with(RUN, "--set", "plane.grid=41", "--out", sparkOut.toString())));
        watcher.cancel(true);
        System.out.println("Killed " + killed.get() + ". The job said:\n" + spark.out() + spark.err());
        assertThat(spark.status()).as(spark.err()).isZero();
        assertThat(killed.get()).as("an executor was killed mid-share").isNotNull();
        int k = Integer.parseInt(killed.get().replaceAll(".*share (\\d)/3.*", "$1"));
        Path dir = onlyRun(sparkOut);
        assertThat(spark.out()).contains("Spark: 2 shares of the tiles of " + dir + " on spark://127.0.0.1:")
                .containsPattern("share " + k + "/3 on \\S+: exit 0 \\(attempt [2-9]: Spark retried it after");
        String provenance = Files.readString(dir.resolve("provenance.json"));
        System.out.println(provenance.substring(provenance.indexOf("\"surface-job\""), provenance.indexOf("\"tile-seconds\"")));
        assertThat(provenance).contains("\"engine\" : \"local+spark\"").contains("\"retried-shares\"")
                .containsPattern("\"" + k + "/3\" : \\{\\s*\"attempt 0\" : [1-4],\\s*\"attempt [1-9]\" : [1-4]");
        assertThat(dir.resolve("state.json")).content().contains("\"state\" : \"complete\"")
                .contains("resumed share 2/3 (spark").contains("resumed share 3/3 (spark").contains("resumed share " + k + "/3 (spark, attempt");

        SparkSurfaceTest.assertTheLocalRunsNumbers(dir, with(RUN, "--set", "plane.grid=41"), tmp.resolve("local"));
    }

    @Test
    void anExecutorThatCannotSeeTheRunFolderStopsTheDriverWithASentence() throws Exception {
        Assumptions.assumeTrue(hiding, "hiding a folder from one Worker needs 'unshare -m' and a tmpfs mount (root on Linux)");
        Path out = tmp.resolve("hidden").resolve("runs");
        Outcome spark = submit(with(new String[] {"--shares", "3"}, with(RUN, "--set", "plane.grid=9", "--out", out.toString())));
        System.out.println("The job said:\n" + spark.out() + spark.err());
        Path dir = onlyRun(out);
        assertThat(spark.status()).isEqualTo(1);
        assertThat(spark.err()).containsPattern("error: the executor on \\S+ cannot see the run folder " + Pattern.quote(dir.toString())
                + " \\(no such folder there\\)\\. Every executor must see the run folder at the same path")
                .contains("What was computed so far is kept in " + dir);
        List<String> kept = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("tiles"))) {
            s.map(f -> f.getFileName().toString()).forEach(kept::add);
        }
        assertThat(kept).as("share 1, computed by the driver, is kept").contains("tile-0000.npy");
    }
}
