package losssurface.spark;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;

/**
 * A Spark standalone cluster on the loopback for tests: a Master and Workers, each a JVM of its own started from the
 * Spark jars on this test's class path. A {@code SPARK_HOME} holding {@code jars/} (links to those jars) is all a Worker
 * needs to launch executors, which are JVMs of their own too; the classes of this build that are folders, not jars, reach
 * the executors through {@code spark.executor.extraClassPath}. Everything listens on 127.0.0.1 only.
 *
 * <p>A Worker may be started in a mount namespace of its own ({@code unshare -m}, root only) with an empty file system
 * mounted over a folder: that Worker and its executors cannot see what the driver writes there, as an executor on a machine
 * without the shared volume would not.
 */
final class StandaloneCluster implements AutoCloseable {

    private final Path home;
    private final String master;
    private final int masterUi;
    private final List<String> opens;
    private final String appClassPath;
    private final List<Process> processes = new ArrayList<>();

    private StandaloneCluster(Path home, int masterPort, int masterUi, List<String> opens, String appClassPath) {
        this.home = home;
        this.master = "spark://127.0.0.1:" + masterPort;
        this.masterUi = masterUi;
        this.opens = opens;
        this.appClassPath = appClassPath;
    }

    /**
     * Starts a Master and one Worker (1 core) per entry of {@code hidden}; a Worker whose entry is not null cannot see that
     * folder. Returns once every Worker has registered.
     */
    static StandaloneCluster start(Path dir, List<Path> hidden) throws IOException, InterruptedException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        List<String> folders = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p)) {
                folders.add(p.toString());
            } else if (p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)) {
                Files.createSymbolicLink(jars.resolve(String.format("%03d-%s", i++, p.getFileName())), p);
            }
        }
        List<String> opens = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).toList();
        StandaloneCluster cluster = new StandaloneCluster(home, freePort(), freePort(), opens, String.join(":", folders));
        try {
            cluster.launch(dir.resolve("master.log"), null, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", cluster.master.substring(cluster.master.lastIndexOf(':') + 1), "--webui-port",
                    Integer.toString(cluster.masterUi));
            for (int w = 0; w < hidden.size(); w++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + (w + 1)));
                cluster.launch(dir.resolve("worker-" + (w + 1) + ".log"), hidden.get(w), "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "2g", "--webui-port", "0", "--work-dir",
                        work.toString(), cluster.master);
            }
            cluster.awaitWorkers(hidden.size(), Duration.ofSeconds(120));
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Whether this machine can hide a folder from a Worker ({@code unshare -m} and a tmpfs mount: root on Linux). */
    static boolean canHide(Path scratch) {
        try {
            Path probe = Files.createDirectories(scratch.resolve("unshare-probe"));
            Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", "mount -t tmpfs none \"$1\"", "sh", probe.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void launch(Path log, Path hidden, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (hidden != null) {
            command.addAll(List.of("unshare", "-m", "sh", "-c", "mount -t tmpfs none \"$1\" && shift && exec \"$@\"", "sh",
                    hidden.toString()));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(opens);
        command.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars") + "/*", main));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        processes.add(pb.start());
    }

    private void awaitWorkers(int count, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process (" + p.info().commandLine().orElse("?") + ") exited with "
                            + p.exitValue() + "; see the logs in " + home.getParent());
                }
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + masterUi + "/json/").toURL()
                        .openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                try (InputStream in = c.getInputStream()) {
                    last = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Matcher m = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)").matcher(last);
                if (m.find() && Integer.parseInt(m.group(1)) >= count) {
                    return;
                }
            } catch (IOException notYet) {
                // the Master is starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(count + " Workers did not register with the Master in " + limit.toSeconds() + " s; it said: "
                + last + "; see the logs in " + home.getParent());
    }

    /** A driver's configuration for this cluster: every Worker's one core, executors on the loopback. */
    SparkConf conf(String app, int executors) {
        return new SparkConf().setMaster(master).setAppName(app)
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.cores.max", Integer.toString(executors)).set("spark.executor.cores", "1")
                .set("spark.executor.memory", "1g")
                .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                .set("spark.executor.extraClassPath", appClassPath)
                .set("spark.executor.extraJavaOptions", String.join(" ", opens))
                .set("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
                .set("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
    }

    /** The executor JVMs now running (children of the Workers). */
    List<ProcessHandle> executors() {
        return processes.stream().flatMap(Process::descendants)
                .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).toList();
    }

    /** Every process started, with the executors the Workers launched. */
    List<ProcessHandle> all() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        return all;
    }

    /** Kills every process started (executors first) and waits for them to end. */
    @Override
    public void close() {
        List<ProcessHandle> all = all();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("process " + h.pid() + " did not end: " + e, e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
