package losssurface.runner;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What provenance records about the software a run used: versions, the git commit of the
 * checkout (the launcher passes it as {@code -Dlosssurface.git.commit}), and the command line.
 *
 * @param args     the command-line arguments of this invocation
 * @param backends what the compute backends are, with their threads (asked when the versions are)
 */
public record RuntimeInfo(List<String> args, java.util.function.Supplier<String> backends) {

    public RuntimeInfo {
        args = List.copyOf(args);
        java.util.Objects.requireNonNull(backends, "backends");
    }

    /** Runtime information without compute backends (e.g. for tests of what does not compute). */
    public RuntimeInfo(List<String> args) {
        this(args, () -> "none installed");
    }

    /** The versions provenance records: losssurface, Java, OS, CPU, cores, heap, threads, BLAS, DL4J, ONNX Runtime. */
    public Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("losssurface", RuntimeInfo.class.getModule().getDescriptor() != null
                ? RuntimeInfo.class.getModule().getDescriptor().rawVersion().orElse("dev") : "dev");
        v.put("java", System.getProperty("java.version"));
        v.put("java-vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        v.put("cpu", cpu());
        v.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        v.put("max-heap-mb", String.valueOf(Runtime.getRuntime().maxMemory() >> 20));
        // ND4J's own OpenMP pool, sized by libnd4j once at start-up (BLAS threads are in "blas")
        v.put("omp-num-threads", Optional.ofNullable(System.getenv("OMP_NUM_THREADS")).orElse("unset (ND4J: one per core)"));
        v.put("blas", blas());
        mavenVersion("org.deeplearning4j", "deeplearning4j-nn").ifPresent(x -> v.put("deeplearning4j", x));
        mavenVersion("org.nd4j", "nd4j-native").ifPresent(x -> v.put("nd4j", x));
        // an automatic module: its version is the one in its jar's name
        ModuleLayer.boot().findModule("com.microsoft.onnxruntime").flatMap(m -> m.getDescriptor().rawVersion())
                .ifPresent(x -> v.put("onnxruntime", x));
        return v;
    }

    /** The CPU model and its widest vector instructions, from /proc/cpuinfo (speeds differ 5x between machines). */
    static String cpu() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"));
            String model = lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
            String flags = lines.stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
            String vectors = flags.contains(" avx512f") ? "AVX-512" : flags.contains(" avx2") ? "AVX2" : flags.contains(" avx") ? "AVX" : "";
            return model + (vectors.isEmpty() ? "" : ", " + vectors);
        } catch (java.io.IOException | RuntimeException e) {
            return System.getProperty("os.arch") + " (model unknown: " + e.getMessage() + ")";
        }
    }

    /** The compute backends (ND4J's BLAS library: OPENBLAS or MKL) and their threads. */
    public String blas() {
        return backends.get();
    }

    public Optional<String> gitCommit() {
        String c = System.getProperty("losssurface.git.commit", "").trim();
        return c.isEmpty() ? Optional.empty() : Optional.of(c);
    }

    public String command() {
        return "losssurface " + String.join(" ", args);
    }

    private static Optional<String> mavenVersion(String group, String artifact) {
        String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        // The DL4J bundle keeps the upstream pom.properties; it is an automatic module, so its
        // resources are readable through any of its classes.
        Class<?> anchor;
        try {
            anchor = Class.forName("org.nd4j.linalg.factory.Nd4j", false, RuntimeInfo.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        try (InputStream in = anchor.getResourceAsStream(path)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            return Optional.ofNullable(p.getProperty("version"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
