package losssurface.spark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

import losssurface.runner.Main;
import losssurface.runs.RunFolder;
import losssurface.runs.RunState;

/**
 * A surface's tiles as Spark tasks. The run folder lives on a filesystem every executor sees
 * (NFS, a cluster volume); each task runs {@code losssurface resume RUN_DIR --tiles K/N} in its
 * executor: it restores the trained model and the objective once (not once per point), computes
 * share K of the missing tiles and writes them into the folder, atomically. The driver then
 * resumes the run once more, which finds every tile, assembles the arrays and draws them. The
 * numbers are byte for byte those of a local run, as every point is computed on its own.
 *
 * <pre>
 *   spark-submit --class losssurface.spark.SparkSurface losssurface-spark.jar [--shares N] run RUN OPTIONS...
 *   spark-submit --class losssurface.spark.SparkSurface losssurface-spark.jar [--shares N] resume RUN_DIR
 * </pre>
 * With {@code run}, the driver trains and computes share 1 of N itself (which creates the run
 * folder), and the executors compute shares 2..N. Default N: Spark's default parallelism.
 */
public final class SparkSurface {

    private SparkSurface() {
    }

    public static void main(String[] args) {
        SparkConf conf = new SparkConf().setAppName("losssurface");
        int status;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            status = run(sc, args, System.out, System.err);
        }
        System.exit(status);
    }

    /**
     * What one task did.
     *
     * @param attempt Spark's attempt number of the task that returned (0 the first; a task lost with its executor is retried)
     * @param visible whether the executor found the run folder
     */
    record Share(int k, int status, String host, int attempt, boolean visible, String output) implements Serializable {
    }

    /** Runs the job on {@code sc}; returns the exit status (0 success, 1 failure, 2 usage error). */
    public static int run(JavaSparkContext sc, String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        int shares = sc.defaultParallelism();
        List<String> pluginOptions = new ArrayList<>();
        while (!rest.isEmpty() && rest.get(0).startsWith("--")) {
            String option = rest.remove(0);
            if (rest.isEmpty()) {
                err.println("error: " + option + " needs a value.");
                return 2;
            }
            switch (option) {
                case "--shares" -> {
                    try {
                        shares = Integer.parseInt(rest.remove(0));
                    } catch (NumberFormatException e) {
                        err.println("error: --shares must be a whole number, e.g. --shares 8.");
                        return 2;
                    }
                }
                case "--plugins", "--plugin-path" -> {
                    pluginOptions.add(option);
                    pluginOptions.add(rest.remove(0));
                }
                default -> {
                    err.println("error: unknown option " + option + ". Usage: SparkSurface [--shares N] [--plugins M]"
                            + " [--plugin-path DIR] (run RUN OPTIONS... | resume RUN_DIR)");
                    return 2;
                }
            }
        }
        if (shares < 1 || shares > 100_000) {
            err.println("error: --shares must be between 1 and 100000, was " + shares + ".");
            return 2;
        }
        if (rest.isEmpty() || !(rest.get(0).equals("run") || rest.get(0).equals("resume") && rest.size() == 2)) {
            err.println("error: give 'run RUN OPTIONS...' or 'resume RUN_DIR' after the options.");
            return 2;
        }

        String runDir;
        int first;
        if (rest.get(0).equals("run")) {
            List<String> local = new ArrayList<>(rest);
            local.addAll(pluginOptions);
            local.addAll(List.of("--tiles", "1/" + shares));
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            PrintStream tee = new PrintStream(new TeeStream(captured, out), true, StandardCharsets.UTF_8);
            int status = Main.execute(local.toArray(String[]::new), tee, err, false);
            if (status != 0) {
                return status;
            }
            Matcher m = Pattern.compile("Results[^:]*: (.+)").matcher(captured.toString(StandardCharsets.UTF_8));
            List<String> dirs = new ArrayList<>();
            while (m.find()) {
                dirs.add(m.group(1).strip());
            }
            if (dirs.size() != 1) {
                err.println("error: the run wrote " + dirs.size() + " run folders; the Spark job finishes one. Draw one"
                        + " objective per run (e.g. one rl.objective).");
                return 2;
            }
            runDir = dirs.get(0);
            first = 2;
        } else {
            runDir = Path.of(rest.get(1)).toAbsolutePath().toString();
            first = 1;
            if (!Files.isRegularFile(Path.of(runDir, RunFolder.STATE))) {
                err.println("error: " + runDir + (Files.isDirectory(Path.of(runDir)) ? " has no " + RunFolder.STATE
                        + ": it is not a run folder" : " does not exist") + " on the driver. Name the folder of the run to finish,"
                        + " at the path the driver and every executor see it.");
                return 2;
            }
        }

        int n = shares;
        List<Integer> ks = IntStream.rangeClosed(first, n).boxed().toList();
        if (!ks.isEmpty()) {
            out.println("Spark: " + ks.size() + " share" + (ks.size() == 1 ? "" : "s") + " of the tiles of " + runDir + " on "
                    + sc.master() + " (" + sc.defaultParallelism() + " cores)");
            List<String> plugins = List.copyOf(pluginOptions);
            List<Share> done = sc.parallelize(ks, ks.size()).map(k -> share(runDir, k, n, plugins)).collect();
            for (Share s : done) {
                if (!s.visible()) {
                    err.println("error: the executor on " + s.host() + " cannot see the run folder " + runDir + " (" + s.output()
                            + "). Every executor must see the run folder at the same path: put it on a filesystem they all mount"
                            + " (NFS, a cluster volume) and pass that path. What was computed so far is kept in " + runDir
                            + "; compute the rest with 'resume'.");
                    return 1;
                }
            }
            for (Share s : done) {
                out.println("  share " + s.k() + "/" + n + " on " + s.host() + ": exit " + s.status()
                        + (s.attempt() == 0 ? "" : " (attempt " + (s.attempt() + 1) + ": Spark retried it after "
                        + (s.attempt() == 1 ? "a lost attempt" : s.attempt() + " lost attempts") + "; provenance lists its tiles by"
                        + " attempt)"));
                if (s.status() != 0) {
                    err.println("error: share " + s.k() + "/" + n + " failed on " + s.host() + ":\n" + s.output());
                    return s.status();
                }
            }
        }
        if (RunState.read(Path.of(runDir)).map(RunState::complete).orElse(false)) {
            out.println("Results: " + runDir + " (the last share to finish found every tile, and assembled and drew the surface)");
            return 0;
        }
        List<String> assemble = new ArrayList<>(List.of("resume", runDir));
        assemble.addAll(pluginOptions);
        return Main.execute(assemble.toArray(String[]::new), out, err, false);
    }

    /**
     * One task: share k of n of the run's tiles, in this executor. Shares may run side by side in
     * one JVM: ND4J's native thread counts are fixed at start-up and never changed, so a share's
     * numbers do not depend on what else runs. A share already uses its {@code threads} workers;
     * give each executor one task at a time (spark.task.cpus = spark.executor.cores) to keep
     * them busy without contention.
     */
    static Share share(String runDir, int k, int n, List<String> pluginOptions) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        Path dir = Path.of(runDir);
        if (!Files.isRegularFile(dir.resolve(RunFolder.STATE))) {
            return new Share(k, 1, host, attempt, false, Files.isDirectory(dir) ? "it has no " + RunFolder.STATE + " there"
                    : "no such folder there");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("resume", runDir, "--tiles", k + "/" + n, "--engine", "spark",
                "--attempt", Integer.toString(attempt)));
        args.addAll(pluginOptions);
        int status = Main.execute(args.toArray(String[]::new), both, both, false);
        String text = buffer.toString(StandardCharsets.UTF_8);
        return new Share(k, status, host, attempt, true, text.length() > 4000 ? text.substring(text.length() - 4000) : text);
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
