package losssurface.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.Surface;
import losssurface.api.RunContext;
import losssurface.api.io.Npy;
import losssurface.nn.SupervisedTask;
import losssurface.runs.RunFolder;
import losssurface.runs.SurfaceJob;
import org.nd4j.linalg.dataset.DataSet;

/** What {@code bench} needs besides its loop: its folder, the shipped ONNX model, data as the runs and the peer read it, differences, memory. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** A new temporary folder for bench's runs and files, deleted when bench ends. */
    static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("losssurface-bench");
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot create a temporary folder for bench's runs (" + e.getMessage()
                    + "). Point java.io.tmpdir at a writable folder.", e);
        }
    }

    /** The ONNX model {@code name} shipped in this jar beside this class, copied into {@code dir} to be read. */
    static Path onnx(String name, Path dir) {
        try (java.io.InputStream in = BenchSupport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The bench model " + name + " is missing from the bench jar.");
            }
            Path file = dir.resolve(name);
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot copy the bench model " + name + ": " + e.getMessage(), e);
        }
    }

    /** The task's evaluation set as a data file {@code probe --model} reads: a folder with x.npy and y.npy (class indices). */
    static Path evaluationFiles(SupervisedTask task, RunContext context, Path dir) {
        Map<String, NamedArray> c = classification(task.evaluationSet(context));
        try {
            Path folder = Files.createDirectories(dir.resolve("evaluation-set"));
            Npy.write(folder.resolve("x.npy"), c.get("x"));
            Npy.write(folder.resolve("y.npy"), c.get("y"));
            return folder;
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot write the evaluation set into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The artefacts {@code names} a run kept in {@code runDir} (e.g. an RL objective's transitions), by name. */
    static Map<String, NamedArray> artefacts(Path runDir, List<String> names) {
        Map<String, NamedArray> out = new LinkedHashMap<>();
        for (String name : names) {
            try {
                out.put(name, Npy.read(RunFolder.npy(runDir, name)));
            } catch (IOException e) {
                throw new LossSurfaceException("The run in " + runDir + " has no readable " + name + " ("
                        + e.getMessage() + ").", e);
            }
        }
        return out;
    }

    /** A classification data set as the peer reads it: x [n, features] float32 and y [n] class indices. */
    static Map<String, NamedArray> classification(DataSet data) {
        int n = data.numExamples();
        float[] x = data.getFeatures().dup('c').data().asFloat();
        int[] y = data.getLabels().argMax(1).toIntVector();
        Map<String, NamedArray> out = new LinkedHashMap<>();
        out.put("x", new NamedArray(new int[] {n, x.length / n}, x));
        out.put("y", new NamedArray(new int[] {n}, y));
        return out;
    }

    /** The largest |a - b| / |a| over the cells of {@code metric} (NaN in both counts as equal). */
    static double maxRelativeDifference(Surface a, Surface b, String metric) {
        double[] x = a.grid(metric);
        double[] y = b.grid(metric);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) && Double.isNaN(y[i]) || x[i] == y[i]) {
                continue;
            }
            double rel = Math.abs(x[i] - y[i]) / Math.max(Math.abs(x[i]), 1e-12);
            worst = Math.max(worst, Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel);
        }
        return worst;
    }

    /**
     * The largest |a - b| over the cells of {@code metric}. For accuracy this is the share of
     * examples whose predicted class flips between evaluators: near-tied logits rounded differently.
     */
    static double maxAbsoluteDifference(Surface a, Surface b, String metric) {
        double[] x = a.grid(metric);
        double[] y = b.grid(metric);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            if (!(Double.isNaN(x[i]) && Double.isNaN(y[i]))) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    /**
     * The command that runs the launcher's runner with {@code args} in a JVM of its own: this JVM's {@code java}, its
     * heap and properties (the launcher's {@code JAVA_OPTS}) and its module path.
     */
    static List<String> runnerCommand(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X") || a.startsWith("-D")).forEach(command::add);
        command.addAll(List.of("-p", System.getProperty("jdk.module.path"), "-m", "losssurface.runner/losssurface.runner.Main"));
        command.addAll(args);
        return command;
    }

    /**
     * What a runner process did: its exit status, its output and error (merged, in {@code log}), and its peak resident
     * memory (VmHWM, read every 20 ms while it ran; -1 where /proc is not there).
     */
    record Child(int exit, Path log, long peakBytes) {

        String output() throws IOException {
            return Files.readString(log);
        }
    }

    /** Runs the runner with {@code args} in a process of its own (see {@link #runnerCommand}), its output into {@code log}. */
    static Child runner(List<String> args, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(runnerCommand(args)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        long peak = -1;
        try {
            while (!p.waitFor(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmHWM:")) {
                            peak = Math.max(peak, 1024 * Long.parseLong(line.replaceAll("[^0-9]", "")));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // ended between the check and the read, or no /proc here
                }
            }
        } finally {
            p.destroy();
        }
        return new Child(p.exitValue(), log, peak);
    }

    /**
     * Points per second of a run's surface as its surface job measured them: its points over the seconds they took
     * ({@link SurfaceJob#POINTS_SECONDS} in the run's timings: the evaluator prepared and the tiles computed; the probe's
     * planning, drawing the directions, left out).
     */
    static double pointsPerSecond(losssurface.api.RunResult run) {
        Double seconds = run.provenance().timings().get(SurfaceJob.POINTS_SECONDS);
        if (seconds == null || !(seconds > 0)) {
            throw new LossSurfaceException("Run " + run.name() + " does not say how long its points took (no '"
                    + SurfaceJob.POINTS_SECONDS + "' in the timings of its provenance.json). Run the workload again.");
        }
        long points = run.surface().axes().stream().mapToLong(losssurface.api.Axis::size).reduce(1, (x, y) -> x * y);
        return points / seconds;
    }

    /** Peak resident set size of this process (VmHWM), as text. */
    static String peakResident() {
        return resident("VmHWM:");
    }

    /** A memory line of /proc/self/status (VmRSS: now, VmHWM: peak), as text. */
    static String resident(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return mib(kb * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "unknown";
        }
        return "unknown";
    }

    static long peakHeap() {
        long total = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
