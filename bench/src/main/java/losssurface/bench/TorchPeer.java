package losssurface.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import losssurface.api.NamedArray;
import losssurface.api.Surface;
import losssurface.api.io.Npy;
import losssurface.nn.dense.DenseNet;
import losssurface.runs.RunFolder;

/**
 * The PyTorch peer of {@code bench}: writes a job folder (parameters, directions and data, named
 * as in a run folder), runs {@code bench/peers/torch_peer.py} on it with {@code python3}, and reads
 * the one JSON line it prints. When python3 or PyTorch is missing, says once how to install it and
 * gives no figures from then on.
 */
final class TorchPeer {

    /** The script, relative to the project folder. */
    static final Path SCRIPT = Path.of("bench", "peers", "torch_peer.py");
    static final String INSTALL = "pip install torch";
    private static final long TIMEOUT_SECONDS = 600;

    private final Optional<Path> script;
    private final String python;
    private final int threads;
    private final List<String> notes = new ArrayList<>();
    private boolean unavailable;

    /** What the peer measured; {@code json} is its whole line, for the fields of one kind of job. */
    record Result(double seconds, int points, OptionalDouble perSecond, OptionalDouble centre, String torch, String json) {
    }

    TorchPeer(Optional<Path> script, String python, int threads) {
        this.script = script;
        this.python = python;
        this.threads = threads;
        if (script.isEmpty()) {
            unavailable("the peer script " + SCRIPT + " was not found (run bench from the project folder, or give --peer-script)");
        }
    }

    /** The script in the project folder: the launcher's {@code losssurface.home}, else the working folder or one above it. */
    static Optional<Path> locate() {
        List<Path> roots = new ArrayList<>();
        String home = System.getProperty("losssurface.home");
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            roots.add(p);
        }
        return roots.stream().map(r -> r.resolve(SCRIPT)).filter(Files::isRegularFile).findFirst();
    }

    /** Why there are no peer figures, and how to get them; empty when the peer ran. */
    List<String> notes() {
        return notes;
    }

    boolean available() {
        return !unavailable;
    }

    /**
     * The plain loss-landscape method on a surface: the network {@code shape} at {@code plain}'s
     * centre and directions, over the job's data ({@code data}: file names as in a run folder).
     *
     * @param objective {@code cross-entropy}, {@code td} or {@code return}
     * @param budget    seconds the peer may spend on grid points (it times at least 3)
     */
    Optional<Result> surface(String workload, String objective, DenseNet shape, Surface plain, Map<String, NamedArray> data,
                             double budget) {
        return surface(workload, objective, "\"layers\": " + layers(shape), plain, data, budget);
    }

    /**
     * The plain method on a network the peer defines ({@code bench/peers/mnist_cnn.py}), its flat
     * parameters the tensors of {@code layout} in order, each row-major (as in an ONNX file).
     */
    Optional<Result> surface(String workload, String model, losssurface.api.ParameterLayout layout, Surface plain,
                             Map<String, NamedArray> data, double budget) {
        return surface(workload, "cross-entropy", named(model, layout), plain, data, budget);
    }

    /** The job's fragment naming a network of {@code bench/peers} and its parameters' names and shapes in the flat order. */
    private static String named(String model, losssurface.api.ParameterLayout layout) {
        String parameters = layout.blocks().stream().map(b -> "{\"name\": \"" + b.name() + "\", \"shape\": "
                + java.util.Arrays.toString(b.shape()) + "}").collect(Collectors.joining(", ", "[", "]"));
        return "\"model\": \"" + model + "\", \"parameters\": " + parameters;
    }

    private Optional<Result> surface(String workload, String objective, String network, Surface plain, Map<String, NamedArray> data,
                                     double budget) {
        if (unavailable) {
            return Optional.empty();
        }
        double[] alphas = plain.axes().get(0).values();
        double[] betas = plain.axes().get(1).values();
        StringBuilder job = new StringBuilder("{\"kind\": \"surface\", \"workload\": \"" + workload + "\", \"objective\": \""
                + objective + "\", \"threads\": " + threads + ", " + network + ", \"points\": "
                + alphas.length * betas.length + ", \"budget_seconds\": " + budget + ", \"max_steps\": 500");
        job.append(", \"alphas\": ").append(numbers(alphas)).append(", \"betas\": ").append(numbers(betas)).append('}');
        return run(workload, job.toString(), dir -> {
            Npy.write(RunFolder.npy(dir, RunFolder.THETA), vector(plain.centre()));
            for (losssurface.api.Direction d : plain.directions()) {
                Npy.write(RunFolder.npy(dir, d.name()), vector(d.values()));
            }
            for (Map.Entry<String, NamedArray> e : data.entrySet()) {
                Npy.write(RunFolder.npy(dir, e.getKey()), e.getValue());
            }
        });
    }

    /**
     * One timed epoch of minibatch Adam on {@code x}/{@code y} (class labels) in {@code order},
     * from the parameters {@code start}.
     */
    Optional<Result> trainEpoch(String workload, DenseNet shape, float[] start, NamedArray x, NamedArray y, int[] order,
                                int batchSize, double learningRate) {
        return trainEpoch(workload, "\"layers\": " + layers(shape), start, x, y, order, batchSize, learningRate);
    }

    /** The same on a network the peer defines, its flat parameters the tensors of {@code layout} in order (as for surfaces). */
    Optional<Result> trainEpoch(String workload, String model, losssurface.api.ParameterLayout layout, float[] start, NamedArray x,
                                NamedArray y, int[] order, int batchSize, double learningRate) {
        return trainEpoch(workload, named(model, layout), start, x, y, order, batchSize, learningRate);
    }

    private Optional<Result> trainEpoch(String workload, String network, float[] start, NamedArray x, NamedArray y, int[] order,
                                        int batchSize, double learningRate) {
        if (unavailable) {
            return Optional.empty();
        }
        String job = "{\"kind\": \"train\", \"workload\": \"" + workload + "\", \"objective\": \"cross-entropy\", \"threads\": "
                + threads + ", " + network + ", \"batch_size\": " + batchSize + ", \"learning_rate\": " + learningRate + "}";
        return run(workload + " training epoch", job, dir -> {
            Npy.write(RunFolder.npy(dir, RunFolder.THETA), vector(start));
            Npy.write(dir.resolve("x.npy"), x);
            Npy.write(dir.resolve("y.npy"), y);
            Npy.write(dir.resolve("order.npy"), new NamedArray(new int[] {order.length}, order));
        });
    }

    /**
     * PyHessian's curvature computation on the multilayer perceptron {@code shape} at {@code theta} over
     * {@code x}/{@code y} (class labels): {@code steps} Lanczos products for the top {@code k}
     * eigenvalues and {@code samples} Hutchinson products for the trace, by double backward.
     */
    Optional<Result> curvature(String workload, DenseNet shape, float[] theta, NamedArray x, NamedArray y, int steps, int k,
                               int samples) {
        if (unavailable) {
            return Optional.empty();
        }
        String job = "{\"kind\": \"curvature\", \"workload\": \"" + workload + "\", \"objective\": \"cross-entropy\", \"threads\": "
                + threads + ", \"layers\": " + layers(shape) + ", \"steps\": " + steps + ", \"k\": " + k + ", \"trace_samples\": "
                + samples + "}";
        return run(workload, job, dir -> {
            Npy.write(RunFolder.npy(dir, RunFolder.THETA), vector(theta));
            Npy.write(dir.resolve("x.npy"), x);
            Npy.write(dir.resolve("y.npy"), y);
        });
    }

    /** A list of numbers field of a flat JSON object. */
    static double[] numbers(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!m.find() || m.group(1).isBlank()) {
            return new double[0];
        }
        return Stream.of(m.group(1).split(",")).mapToDouble(t -> Double.parseDouble(t.strip())).toArray();
    }

    @FunctionalInterface
    private interface JobFiles {
        void write(Path dir) throws IOException;
    }

    private Optional<Result> run(String what, String job, JobFiles files) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("losssurface-peer");
            Files.writeString(dir.resolve("job.json"), job);
            files.write(dir);
            Process p;
            try {
                p = new ProcessBuilder(python, script.orElseThrow().toString(), dir.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                unavailable(python + " could not be started (" + e.getMessage() + "); install Python 3 and PyTorch ("
                        + INSTALL + ")");
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                notes.add("the PyTorch peer of " + what + " took longer than " + TIMEOUT_SECONDS + " s and was stopped");
                return Optional.empty();
            }
            String line = out.lines().reduce((a, b) -> b).orElse("");
            Optional<String> error = text(line, "error");
            if (p.exitValue() == 3) {
                unavailable("PyTorch is not installed for " + python + "; install the CPU build with: " + INSTALL);
                return Optional.empty();
            }
            if (p.exitValue() != 0 || error.isPresent()) {
                notes.add("the PyTorch peer of " + what + " failed (exit " + p.exitValue() + "): "
                        + error.orElse(line.isEmpty() ? "no output" : line));
                return Optional.empty();
            }
            return Optional.of(new Result(number(line, "seconds").orElse(Double.NaN), (int) number(line, "points").orElse(0),
                    number(line, "points_per_second"), number(line, "centre"), text(line, "torch").orElse("?"), line));
        } catch (IOException e) {
            notes.add("the PyTorch peer of " + what + " could not be prepared: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (dir != null) {
                RunFolder.deleteQuietly(dir); // a temporary folder left behind is harmless
            }
        }
    }

    private void unavailable(String why) {
        if (!unavailable) {
            notes.add("no PyTorch peer: " + why + ". Our figures are shown alone.");
        }
        unavailable = true;
    }

    /** The layers as the peer reads them: [{"in": .., "out": .., "activation": ..}, ...]. */
    static String layers(DenseNet shape) {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < shape.layers(); l++) {
            String activation = l < shape.layers() - 1 ? shape.activation(l).label() : shape.outputActivation().toLowerCase(Locale.ROOT);
            out.add("{\"in\": " + shape.in(l) + ", \"out\": " + shape.out(l) + ", \"activation\": \"" + activation + "\"}");
        }
        return "[" + String.join(", ", out) + "]";
    }

    private static NamedArray vector(float[] v) {
        return new NamedArray(new int[] {v.length}, v);
    }

    private static String numbers(double[] v) {
        return Stream.of(v).flatMapToDouble(java.util.Arrays::stream).mapToObj(d -> Double.toString(d))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** A number field of a flat JSON object. */
    static OptionalDouble number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /** A string field of a flat JSON object (escaped quotes and backslashes undone). */
    static Optional<String> text(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? Optional.of(m.group(1).replaceAll("\\\\(.)", "$1")) : Optional.empty();
    }
}
