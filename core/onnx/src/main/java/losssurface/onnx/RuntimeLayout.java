package losssurface.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import onnx.Onnx;


/**
 * The graph ONNX Runtime runs once it has optimised a model, with every tensor it made from the parameters turned into
 * a graph input, and for each such input where its values come from in the parameter vector.
 *
 * <p><b>Why.</b> Fed as graph inputs, a model's weights reach ONNX Runtime as they are stored; its fastest kernels
 * (the NCHWc convolutions, which block channels by the vector width) need them re-laid out, which it does only for
 * constant weights, once, when it builds a session. Compiling a point's weights in costs a session per point. Here
 * the re-laying out is learnt once and then done by us for each point, as a gather: the session is built once, from
 * the optimised graph, and runs the fast kernels on fed weights. A ResNet-18 runs as fast as with its weights
 * compiled in.
 *
 * <p><b>How it is learnt.</b> ONNX Runtime optimises the model with every parameter replaced by a code of its index
 * ({@code index + 1}, exact in a float up to 2^24) and writes the graph it made. A tensor of that graph whose values
 * are codes is a gather of parameters (0 where it pads). A second pass with every code plus one tells those apart from
 * constants (the same in both) and from tensors that mix parameters (folded products, which shift otherwise); a third
 * gives the high part of indices beyond 2^24. A tensor that mixes parameters makes the layout unusable, and the reason
 * says which. Whoever uses the layout checks its output against the graph fed as stored before trusting it.
 */
final class RuntimeLayout {

    /** Parameters one pass numbers: codes run to {@code CODES}, and the shifted pass's to 2^24, all exact in a float. */
    static final int CODES = (1 << 24) - 1;
    /** Models whose parameters take more bytes are fed as stored (the passes serialise the whole model three times). */
    static final long MAX_BYTES = 1L << 30;

    /**
     * A graph input of the optimised graph and where its values come from.
     *
     * @param name   its name
     * @param shape  its shape
     * @param offset where its values start in the parameter vector, when they are a contiguous run of it
     * @param gather otherwise, for each value its index in the parameter vector, or -1 for a zero (padding); null for a run
     */
    record Fed(String name, long[] shape, int offset, int[] gather) {

        Fed {
            if (gather == null && offset < 0) {
                throw new IllegalArgumentException("a contiguous feed needs an offset, was " + offset);
            }
        }

        /** How many values it holds. */
        int length() {
            return Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        }

        /** Its values {@code from} (inclusive) to {@code to} (exclusive) at the parameters {@code p}, written into {@code out}. */
        void fill(float[] p, java.nio.FloatBuffer out, int from, int to) {
            if (gather == null) {
                out.put(from, p, offset + from, to - from);
            } else {
                for (int k = from; k < to; k++) {
                    int source = gather[k];
                    out.put(k, source < 0 ? 0f : p[source]);
                }
            }
        }
    }

    /**
     * A graph and its feeds.
     *
     * @param model     the serialised graph, parameters (or what ONNX Runtime made of them) as inputs
     * @param fed       its parameter inputs
     * @param optimised whether it is ONNX Runtime's optimised graph (else the model as stored)
     */
    record Graph(byte[] model, List<Fed> fed, boolean optimised) {

        Graph {
            fed = List.copyOf(fed);
        }

        /** The model as stored, each parameter block a graph input fed from its run of the vector. */
        static Graph asStored(OnnxModel model) {
            List<Fed> fed = model.layout().blocks().stream()
                    .map(b -> new Fed(b.name(), Arrays.stream(b.shape()).asLongStream().toArray(), b.offset(), null)).toList();
            return new Graph(model.evaluationModel(), fed, false);
        }
    }

    /**
     * What {@link #derive} found.
     *
     * @param graph  the optimised graph, or null when it cannot be used
     * @param reason why not (empty when it can)
     */
    record Derived(Graph graph, String reason) {
    }

    private RuntimeLayout() {
    }

    /** ONNX Runtime's optimised graph of {@code model} with its feeds, or the reason there is none. */
    static Derived derive(OnnxModel model) {
        return derive(model, CODES);
    }

    /** As {@link #derive(OnnxModel)}, numbering {@code codes} parameters a pass (fewer than {@link #CODES}: to test the third pass). */
    static Derived derive(OnnxModel model, int codes) {
        long n = model.layout().size();
        if (4 * n > MAX_BYTES) {
            return new Derived(null, "its " + String.format(java.util.Locale.ROOT, "%,d", n) + " parameters are more than the "
                    + (MAX_BYTES >> 20) + " MiB the passes that learn ONNX Runtime's layout serialise");
        }
        int count = (int) n;
        boolean high = count > codes;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("losssurface-ort-layout");
            Onnx.ModelProto low = optimise(model, dir, i -> (i % codes) + 1, "low");
            Onnx.ModelProto shifted = optimise(model, dir, i -> (i % codes) + 2, "shifted");
            Onnx.ModelProto top = high ? optimise(model, dir, i -> i / codes + 1, "high") : null;
            Map<String, Onnx.TensorProto> second = byName(shifted);
            Map<String, Onnx.TensorProto> third = top == null ? Map.of() : byName(top);
            List<Fed> fed = new ArrayList<>();
            Onnx.GraphProto.Builder g = low.getGraph().toBuilder().clearInitializer();
            if (!operators(low).equals(operators(shifted)) || top != null && !operators(low).equals(operators(top))) {
                return new Derived(null, "ONNX Runtime optimises the graph differently for other parameter values");
            }
            for (Onnx.TensorProto t : low.getGraph().getInitializerList()) {
                Onnx.TensorProto other = second.get(t.getName());
                if (other == null || top != null && !third.containsKey(t.getName())) {
                    return new Derived(null, "ONNX Runtime makes tensor " + t.getName() + " for some parameter values only");
                }
                if (t.getDataType() != 1 || t.equals(other)) {
                    g.addInitializer(t); // a constant: shapes, or values no parameter made
                    continue;
                }
                float[] a = values(t);
                float[] b = values(other);
                float[] c = top == null ? null : values(third.get(t.getName()));
                int[] gather = new int[a.length];
                for (int k = 0; k < a.length; k++) {
                    if (a[k] == 0 && b[k] == 0 && (c == null || c[k] == 0)) {
                        gather[k] = -1;
                        continue;
                    }
                    if (b[k] != a[k] + 1 || a[k] != Math.rint(a[k]) || a[k] < 1 || c != null && (c[k] != Math.rint(c[k]) || c[k] < 1)) {
                        return new Derived(null, "ONNX Runtime folds parameters together into " + t.getName()
                                + " (a product or sum of them, not a re-laying out)");
                    }
                    long index = (long) (a[k] - 1) + (c == null ? 0 : (long) (c[k] - 1) * codes);
                    if (index >= count) {
                        return new Derived(null, "tensor " + t.getName() + " of the optimised graph holds a value that is no parameter's code");
                    }
                    gather[k] = (int) index;
                }
                long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
                fed.add(contiguous(t.getName(), shape, gather));
            }
            if (fed.isEmpty()) {
                return new Derived(null, "the optimised graph holds no tensor made from the parameters");
            }
            Set<String> inputs = new HashSet<>();
            fed.forEach(f -> inputs.add(f.name()));
            List<Onnx.ValueInfoProto> kept = g.getInputList().stream().filter(i -> !inputs.contains(i.getName())).toList();
            g.clearInput().addAllInput(kept);
            for (Fed f : fed) {
                Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
                Arrays.stream(f.shape()).forEach(d -> shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d)));
                g.addInput(Onnx.ValueInfoProto.newBuilder().setName(f.name()).setType(Onnx.TypeProto.newBuilder()
                        .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))));
            }
            return new Derived(new Graph(low.toBuilder().setGraph(g).build().toByteArray(), fed, true), "");
        } catch (OrtException | IOException | RuntimeException e) {
            // a faster way to feed the parameters, never a reason to stop: the model is fed as stored
            return new Derived(null, "ONNX Runtime's optimised graph could not be written and read here (" + e.getMessage() + ")");
        } finally {
            if (dir != null) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // a temporary folder left behind holds no result
                }
            }
        }
    }

    /** The feed of {@code gather}: a run of the vector when it is one, so it is copied rather than gathered. */
    private static Fed contiguous(String name, long[] shape, int[] gather) {
        boolean run = gather.length > 0 && gather[0] >= 0;
        for (int k = 1; k < gather.length && run; k++) {
            run = gather[k] == gather[0] + k;
        }
        return run ? new Fed(name, shape, gather[0], null) : new Fed(name, shape, -1, gather);
    }

    /**
     * The optimised graph ONNX Runtime writes for {@code model} with parameter {@code i} set to {@code code(i)}, its large
     * tensors in a data file beside it. Both ways through files, so no copy of the parameters passes through the heap.
     */
    private static Onnx.ModelProto optimise(OnnxModel model, Path dir, java.util.function.IntUnaryOperator code, String pass)
            throws OrtException, IOException {
        Path coded = dir.resolve(pass + "-coded.onnx");
        String data = pass + "-coded.data";
        try (FileChannel out = FileChannel.open(dir.resolve(data), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int n = model.layout().size();
            for (int i = 0; i < n; i++) {
                chunk.putFloat(code.applyAsInt(i));
                if (!chunk.hasRemaining() || i == n - 1) {
                    chunk.flip();
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                    chunk.clear();
                }
            }
        }
        Files.write(coded, model.withParametersIn(data));
        Path optimised = dir.resolve(pass + ".onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR); // it warns that the graph suits this machine only
            options.setOptimizedModelFilePath(optimised.toString());
            options.addConfigEntry("session.optimized_model_external_initializers_file_name", pass + ".data");
            options.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
            OrtEnvironment.getEnvironment().createSession(coded.toString(), options).close();
        }
        Files.delete(coded); // the temporary folder holds one coded model at a time
        Files.delete(dir.resolve(data));
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(Files.readAllBytes(optimised));
        // every tensor inline again, its bytes mapped from the data file (the small graph is all that reaches the heap)
        Onnx.GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            Onnx.TensorProto t = g.getInitializer(i);
            if (ExternalData.isExternal(t)) {
                g.setInitializer(i, t.toBuilder().clearExternalData().setDataLocation(Onnx.TensorProto.DataLocation.DEFAULT)
                        .setRawData(org.nd4j.shade.protobuf.UnsafeByteOperations.unsafeWrap(ExternalData.map(ExternalData.region(optimised, t)))));
            }
        }
        return m.toBuilder().setGraph(g).build();
    }

    /** The graph's nodes without their names, which ONNX Runtime numbers differently from one session to the next. */
    private static List<Onnx.NodeProto> operators(Onnx.ModelProto m) {
        return m.getGraph().getNodeList().stream().map(n -> n.toBuilder().clearName().build()).toList();
    }

    private static Map<String, Onnx.TensorProto> byName(Onnx.ModelProto m) {
        Map<String, Onnx.TensorProto> out = new LinkedHashMap<>();
        m.getGraph().getInitializerList().forEach(t -> out.put(t.getName(), t));
        return out;
    }

    /** A float tensor's values, from its raw bytes or its float list. */
    private static float[] values(Onnx.TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[raw.remaining() / 4];
            raw.asFloatBuffer().get(v);
            return v;
        }
        float[] v = new float[t.getFloatDataCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.getFloatData(i);
        }
        return v;
    }
}
