package losssurface.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import losssurface.runner.Main;

/**
 * The Spark job on {@code local[2]}: the driver trains and computes share 1, two tasks compute
 * the other shares in their executors, the driver assembles; the numbers are byte for byte those
 * of a local run.
 */
class SparkSurfaceTest {

    @TempDir
    Path tmp;

    static final String[] RUN = {"run", "--task", "regression", "--trainer", "supervised", "--seed", "11",
        "--set", "regression.samples=4000", "--set", "supervised.epochs=2", "--set", "plane.grid=21"};

    static Path onlyRun(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            List<Path> dirs = s.filter(Files::isDirectory).toList();
            assertThat(dirs).hasSize(1);
            return dirs.get(0);
        }
    }

    static String[] with(String[] base, String... more) {
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void sharesRunAsSparkTasksAndAssembleToTheLocalBytes() throws Exception {
        Path sparkOut = tmp.resolve("spark");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("losssurface-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        int status;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            status = SparkSurface.run(sc, with(new String[] {"--shares", "3"}, with(RUN, "--out", sparkOut.toString())),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Path dir = onlyRun(sparkOut);
        assertThat(printed).contains("Spark: 2 shares of the tiles of " + dir + " on local[2]")
                .contains("share 2/3 on ").contains("share 3/3 on ");
        assertThat(printed.substring(printed.indexOf("share 3/3 on "))).as("the results after the shares").contains("Results: " + dir);
        assertThat(dir.resolve("state.json")).content().contains("\"state\" : \"complete\"")
                .as("shares side by side each keep their line").contains("resumed share 2/3 (spark)").contains("resumed share 3/3 (spark)");
        assertThat(dir.resolve("provenance.json")).content().contains("\"engine\" : \"local+spark\"")
                .contains("\"shares\" : [ \"1/3\", \"2/3\", \"3/3\" ]");

        assertTheLocalRunsNumbers(dir, RUN, tmp.resolve("local"));
    }

    /** {@code dir}'s numbers are byte for byte those of {@code run} made locally, in one process, into {@code out}. */
    static void assertTheLocalRunsNumbers(Path dir, String[] run, Path out) throws Exception {
        ByteArrayOutputStream localErr = new ByteArrayOutputStream();
        int local = Main.execute(with(run, "--out", out.toString()), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(localErr, true, StandardCharsets.UTF_8), false);
        assertThat(local).as(localErr.toString(StandardCharsets.UTF_8)).isZero();
        Path localDir = onlyRun(out);
        for (String file : List.of("loss.npy", "theta.npy", "direction-1.npy", "direction-2.npy")) {
            assertThat(Files.readAllBytes(dir.resolve(file))).as(file).isEqualTo(Files.readAllBytes(localDir.resolve(file)));
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SparkConf conf = new SparkConf().setMaster("local[1]").setAppName("losssurface-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            PrintStream o = new PrintStream(new ByteArrayOutputStream());
            assertThat(SparkSurface.run(sc, new String[] {"--shares", "x", "resume", "d"}, o, e)).isEqualTo(2);
            assertThat(SparkSurface.run(sc, new String[] {"resume"}, o, e)).isEqualTo(2);
            assertThat(SparkSurface.run(sc, new String[] {"--bogus", "1", "resume", "d"}, o, e)).isEqualTo(2);
            assertThat(SparkSurface.run(sc, new String[] {"resume", tmp.resolve("nowhere").toString()}, o, e)).isEqualTo(2);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--shares must be a whole number")
                .contains("give 'run RUN OPTIONS...' or 'resume RUN_DIR'").contains("unknown option --bogus")
                .contains("error: " + tmp.resolve("nowhere").toAbsolutePath() + " does not exist on the driver. Name the folder of the run"
                        + " to finish, at the path the driver and every executor see it.");
    }
}
