package losssurface.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import onnx.Onnx;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

import losssurface.api.LossSurfaceException;
import losssurface.api.ParameterBlock;
import losssurface.api.ParameterLayout;
import losssurface.api.TrainedModel;
import losssurface.api.io.Checksum;

/**
 * A model saved as ONNX (by {@code torch.onnx.export}, tf2onnx, or anything else), read for
 * probing. Its parameters, theta*, are its float initializers of rank one or more, named as in
 * the file and in the file's order; scalar and non-float initializers (shapes, constants) stay
 * part of the graph.
 *
 * <p>Filter normalisation needs each weight's output axis. It is read from the operator that
 * consumes the weight: the rows of a {@code Gemm} B with {@code transB=1} (PyTorch's Linear) or
 * its columns without; the last axis of a {@code MatMul}'s right operand (Keras's Dense); axis 0
 * of a {@code Conv} weight {@code [out_channels, in_channels, kh, kw]}; axis 1 of a
 * {@code ConvTranspose} weight. Elsewhere axis 0 is assumed, and the layout's note says so.
 * Vectors of any rank (at most one axis longer than 1: biases, normalisation scales, {@code [1, 1, 1, C]} as
 * Keras exports them) are {@link ParameterBlock.Kind#BIAS} blocks, which the directions zero by default, unless
 * an operator takes them as its weight; a {@code BatchNormalization}'s running mean and variance (its
 * inputs 3 and 4), and the running mean of a batch norm the exporter decomposed into {@code Sub}, {@code Mul}
 * and {@code Add}, are {@link ParameterBlock.Kind#STATE}, which no direction moves.
 *
 * <p>Initializers kept in external data files are read as {@link ExternalData} says: inside the model's folder only,
 * mapped rather than copied.
 *
 * <p>To score many parameter vectors without building a session for each, {@link #evaluationModel()}
 * turns every parameter into a graph input, so a point is fed rather than compiled.
 */
public final class OnnxModel implements TrainedModel {

    private static final int FLOAT = 1;

    private final Path file;
    private final Onnx.ModelProto proto;
    private final List<Onnx.TensorProto> parameters;
    private final ParameterLayout layout;
    private final float[] theta;
    private final String input;
    private final long[] inputShape;
    private final String output;
    private final long[] outputShape;
    private final String lastOp;
    private final String sha256;
    /** The parameters whose bytes lie in external data files, by name. */
    private final Map<String, ExternalData.Region> external;
    private final List<ExternalData.DataFile> dataFiles;

    private OnnxModel(Path file, Onnx.ModelProto saved, byte[] bytes) {
        this.file = file;
        // external data: every location checked before anything is read; the parameters' bytes stay in their files (mapped
        // when theta* is read), the few other tensors (shapes, constants) are copied into the graph that sessions are built from
        Map<String, ExternalData.Region> regions = new LinkedHashMap<>();
        Onnx.GraphProto.Builder inlined = saved.getGraph().toBuilder();
        for (int i = 0; i < inlined.getInitializerCount(); i++) {
            Onnx.TensorProto t = inlined.getInitializer(i);
            if (ExternalData.isExternal(t)) {
                ExternalData.Region r = ExternalData.region(file, t);
                regions.put(t.getName(), r);
                if (!isParameter(t)) {
                    inlined.setInitializer(i, t.toBuilder().clearExternalData().setDataLocation(Onnx.TensorProto.DataLocation.DEFAULT)
                            .setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(ExternalData.map(r))));
                }
            }
        }
        this.proto = regions.isEmpty() ? saved : saved.toBuilder().setGraph(inlined).build();
        this.external = regions;
        Map<Path, ExternalData.DataFile> byFile = ExternalData.files(file, regions.values());
        this.dataFiles = List.copyOf(byFile.values());
        Onnx.GraphProto g = proto.getGraph();
        this.parameters = g.getInitializerList().stream().filter(OnnxModel::isParameter).toList();
        Set<String> initializerNames = g.getInitializerList().stream().map(Onnx.TensorProto::getName).collect(Collectors.toSet());
        List<Onnx.ValueInfoProto> inputs = g.getInputList().stream().filter(i -> !initializerNames.contains(i.getName())).toList();
        if (parameters.isEmpty()) {
            String found = g.getInitializerCount() == 0 ? "no initializers at all"
                    : "initializers " + g.getInitializerList().stream().map(t -> t.getName() + " (" + typeName(t.getDataType())
                    + ", shape " + t.getDimsList() + ")").collect(Collectors.joining(", "));
            throw new LossSurfaceException("ONNX model " + file + " has no float weights to perturb: it has " + found
                    + ". The probe moves a model's stored float initializers; export the model with its parameters "
                    + "(torch.onnx.export(..., export_params=True), the default) and not as graph inputs.");
        }
        if (inputs.size() != 1) {
            throw new LossSurfaceException("ONNX model " + file + " takes " + inputs.size() + " inputs ("
                    + inputs.stream().map(OnnxModel::describe).collect(Collectors.joining(", ")) + "), but the probe feeds one: "
                    + "the examples of your data file. Export a model with a single input.");
        }
        if (g.getOutputCount() != 1) {
            throw new LossSurfaceException("ONNX model " + file + " gives " + g.getOutputCount() + " outputs ("
                    + g.getOutputList().stream().map(OnnxModel::describe).collect(Collectors.joining(", ")) + "), but the loss "
                    + "is computed from one. Export the model with only the output the loss is about (logits, "
                    + "probabilities or predictions).");
        }
        Onnx.ValueInfoProto in = inputs.get(0);
        if (in.getType().getTensorType().getElemType() != FLOAT) {
            throw new LossSurfaceException("ONNX model " + file + ": input " + describe(in) + " is not float32, but examples "
                    + "are fed as float32. Export the model with a float input.");
        }
        this.input = in.getName();
        this.inputShape = shape(in);
        this.output = g.getOutput(0).getName();
        this.outputShape = shape(g.getOutput(0));
        this.lastOp = g.getNodeList().stream().filter(n -> n.getOutputList().contains(output)).map(Onnx.NodeProto::getOpType)
                .findFirst().orElse("");
        List<ParameterBlock> blocks = new ArrayList<>();
        int offset = 0;
        Map<String, String> norms = decomposedNorms(g, parameters);
        for (Onnx.TensorProto t : parameters) {
            int[] dims = t.getDimsList().stream().mapToInt(Math::toIntExact).toArray();
            String norm = norms.get(t.getName());
            ParameterBlock.Kind kind;
            Axis axis;
            if (isState(g, t.getName()) || norm != null && norm.startsWith(RUNNING_MEAN)) {
                kind = ParameterBlock.Kind.STATE;
                axis = vectorAxis(dims, norm == null ? "" : norm);
            } else if (dims.length == 1 || isVector(dims) && !consumedAsWeight(g, t.getName())) {
                kind = ParameterBlock.Kind.BIAS;
                axis = vectorAxis(dims, norm != null ? norm : dims.length == 1 ? "" : "a vector of shape " + Arrays.toString(dims)
                        + " (at most one axis longer than 1), so a bias or normalisation term like a rank-1 tensor: directions"
                        + " leave it at zero unless plane.bias=keep");
            } else {
                kind = ParameterBlock.Kind.WEIGHT;
                axis = outputAxis(g, t.getName(), dims.length);
            }
            ExternalData.Region r = regions.get(t.getName());
            String source = "";
            if (r != null) {
                ExternalData.DataFile d = byFile.get(r.file());
                source = String.format(java.util.Locale.ROOT, "external data %s (%,d bytes, SHA-256 %s), offset %,d, %,d bytes",
                        r.location(), d.bytes(), d.sha256(), r.offset(), r.length());
            }
            blocks.add(new ParameterBlock(t.getName(), blocks.size(), kind, dims, offset, 'c', axis.axis(), "", axis.note(), source));
            offset += blocks.get(blocks.size() - 1).length();
        }
        this.layout = new ParameterLayout(blocks);
        this.theta = new float[layout.size()];
        for (int b = 0; b < parameters.size(); b++) {
            ExternalData.Region r = external.get(parameters.get(b).getName());
            if (r != null) { // straight from the mapped file into theta*
                ExternalData.map(r).asFloatBuffer().get(theta, blocks.get(b).offset(), blocks.get(b).length());
            } else {
                float[] v = values(parameters.get(b));
                System.arraycopy(v, 0, theta, blocks.get(b).offset(), v.length);
            }
        }
        this.sha256 = new Checksum().add(bytes).hex();
    }

    /** Whether a tensor of shape {@code dims} is a vector: at most one axis longer than 1 ({@code [C]}, {@code [1, C, 1, 1]}). */
    static boolean isVector(int[] dims) {
        return Arrays.stream(dims).filter(d -> d > 1).count() <= 1;
    }

    /**
     * Whether {@code name} is the weight operand of a {@code Gemm}, {@code MatMul}, {@code Conv} or {@code ConvTranspose}: a
     * weight even when it is shaped like a vector (a dense layer to one output, {@code [64, 1]}).
     */
    static boolean consumedAsWeight(Onnx.GraphProto g, String name) {
        for (Onnx.NodeProto n : g.getNodeList()) {
            int slot = n.getInputList().indexOf(name);
            String op = n.getOpType();
            if (slot == 1 && Set.of("Gemm", "MatMul", "Conv", "ConvTranspose").contains(op)
                    || slot == 0 && Set.of("Gemm", "MatMul").contains(op)) {
                return true;
            }
        }
        return false;
    }

    /** A vector's one long axis (axis 0 when every axis is 1), with why the block is of its kind. */
    private static Axis vectorAxis(int[] dims, String why) {
        int axis = 0;
        for (int a = 0; a < dims.length; a++) {
            if (dims[a] > 1) {
                axis = a;
            }
        }
        return new Axis(axis, why);
    }

    static final String RUNNING_MEAN = "normalisation: the running mean";

    /** Operators between a convolution (or dense layer) and its decomposed batch norm that change no value's meaning. */
    private static final Set<String> PASS_THROUGH = Set.of("Transpose", "Reshape", "Identity", "Cast", "Add");
    /** The operators a decomposed batch norm follows. */
    private static final Set<String> LINEAR = Set.of("Conv", "MatMul", "Gemm");

    /**
     * The parts of each batch norm that an exporter decomposed (Keras 3's ONNX export writes {@code (x - mean) * scale + beta}
     * as {@code Sub}, {@code Mul} and {@code Add} of constant vectors): a {@code Sub} of a vector from what a {@code Conv},
     * {@code MatMul} or {@code Gemm} computed (through {@link #PASS_THROUGH} operators: Keras's writes {@code Transpose},
     * {@code Cast} and the convolution's bias {@code Add} between them), followed by a {@code Mul} by a vector and, where there is one, an {@code Add} of a vector. By name: why
     * each is normalisation.
     */
    static Map<String, String> decomposedNorms(Onnx.GraphProto g, List<Onnx.TensorProto> parameters) {
        Set<String> vectors = new java.util.HashSet<>();
        for (Onnx.TensorProto t : parameters) {
            if (isVector(t.getDimsList().stream().mapToInt(Math::toIntExact).toArray())) {
                vectors.add(t.getName());
            }
        }
        Map<String, Onnx.NodeProto> producer = new LinkedHashMap<>();
        Map<String, List<Onnx.NodeProto>> consumers = new LinkedHashMap<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            n.getOutputList().forEach(o -> producer.put(o, n));
            n.getInputList().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Onnx.NodeProto sub : g.getNodeList()) {
            if (!sub.getOpType().equals("Sub") || sub.getInputCount() != 2 || !vectors.contains(sub.getInput(1))) {
                continue;
            }
            Onnx.NodeProto from = producer.get(sub.getInput(0));
            for (int step = 0; step < 8 && from != null && PASS_THROUGH.contains(from.getOpType()); step++) {
                from = producer.get(from.getInput(0));
            }
            if (from == null || !LINEAR.contains(from.getOpType())) {
                continue;
            }
            Onnx.NodeProto mul = consumers.getOrDefault(sub.getOutput(0), List.of()).stream()
                    .filter(n -> n.getOpType().equals("Mul") && n.getInputCount() == 2).findFirst().orElse(null);
            String scale = mul == null ? null : mul.getInput(0).equals(sub.getOutput(0)) ? mul.getInput(1) : mul.getInput(0);
            if (scale == null || !vectors.contains(scale)) {
                continue;
            }
            String after = from.getOpType() + (from.getName().isEmpty() ? "" : " '" + from.getName() + "'");
            out.put(sub.getInput(1), RUNNING_MEAN + " of a batch norm the exporter decomposed (Sub after " + after + "): state,"
                    + " which no direction moves");
            out.put(scale, "normalisation: the folded scale gamma / sqrt(var + eps) of a batch norm the exporter decomposed (Mul"
                    + " after the Sub of its running mean, after " + after + "): directions leave it at zero unless plane.bias=keep");
            consumers.getOrDefault(mul.getOutput(0), List.of()).stream()
                    .filter(n -> n.getOpType().equals("Add") && n.getInputCount() == 2)
                    .map(n -> n.getInput(0).equals(mul.getOutput(0)) ? n.getInput(1) : n.getInput(0))
                    .filter(vectors::contains).findFirst()
                    .ifPresent(beta -> out.put(beta, "normalisation: the shift beta of a batch norm the exporter decomposed (Add"
                            + " after its Mul, after " + after + "): directions leave it at zero unless plane.bias=keep"));
        }
        return out;
    }

    /** Whether initializer {@code t} is one of the parameters: a float tensor of rank one or more, with no empty axis. */
    private static boolean isParameter(Onnx.TensorProto t) {
        return t.getDataType() == FLOAT && t.getDimsCount() > 0 && t.getDimsList().stream().allMatch(d -> d > 0);
    }

    /**
     * Whether initializer {@code name} is state rather than a parameter: the running mean or variance of a
     * {@code BatchNormalization} node (its inputs 3 and 4), and used by nothing else.
     */
    static boolean isState(Onnx.GraphProto g, String name) {
        boolean statistics = false;
        for (Onnx.NodeProto n : g.getNodeList()) {
            for (int i = 0; i < n.getInputCount(); i++) {
                if (n.getInput(i).equals(name)) {
                    if (!(n.getOpType().equals("BatchNormalization") && (i == 3 || i == 4))) {
                        return false;
                    }
                    statistics = true;
                }
            }
        }
        return statistics;
    }

    /**
     * Reads {@code file}.
     *
     * @throws LossSurfaceException naming the file and what is wrong with it
     */
    public static OnnxModel load(Path file) {
        return load(file, losssurface.api.ModelSource.Options.MAX_ELEMENTS);
    }

    /** {@link #load(Path)} with a limit on the elements of any tensor the file declares. */
    public static OnnxModel load(Path file, long maxElements) {
        if (!Files.isRegularFile(file)) {
            throw new LossSurfaceException("Model file " + file + " does not exist. Name an .onnx file, e.g. one written by "
                    + "torch.onnx.export(model, (example,), \"net.onnx\").");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot read model file " + file + ": " + e.getMessage(), e);
        }
        return of(bytes, file, maxElements);
    }

    /**
     * A model from its serialised bytes (e.g. a network converted in memory), named {@code file} in what it says.
     *
     * @throws LossSurfaceException naming the model and what is wrong with it
     */
    public static OnnxModel of(byte[] bytes, Path file) {
        return of(bytes, file, losssurface.api.ModelSource.Options.MAX_ELEMENTS);
    }

    /** The highest ONNX IR version the ONNX Runtime here reads (ONNX Runtime 1.23.2: IR 11, as its own refusal of 12 says). */
    static final long MAX_IR_VERSION = 11;
    /** The highest opset of the default domain it supports (ONNX Runtime 1.23.2: "official support for domain ai.onnx is till opset 23"). */
    static final long MAX_OPSET = 23;
    /** Operator domains the runtime implements itself; any other needs a custom-operator library, which is never loaded. */
    static final Set<String> DOMAINS = Set.of("", "ai.onnx", "ai.onnx.ml", "com.microsoft");
    /** How deep messages may nest (protobuf's own default); no exporter comes near it. */
    static final int MAX_NESTING = 100;

    /**
     * A model from its serialised bytes, refused before it costs memory when it declares a tensor of more than
     * {@code maxElements} elements, needs a custom-operator library, is newer than the runtime, or nests too deep.
     */
    public static OnnxModel of(byte[] bytes, Path file, long maxElements) {
        Onnx.ModelProto proto;
        try {
            org.nd4j.shade.protobuf.CodedInputStream in = org.nd4j.shade.protobuf.CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(MAX_NESTING);
            proto = Onnx.ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            if (String.valueOf(e.getMessage()).contains("nesting")) {
                throw new LossSurfaceException("Model file " + file + " nests its messages more than " + MAX_NESTING + " levels deep,"
                        + " as no exporter writes them: it is damaged or made to exhaust the reader. Export the model again.", e);
            }
            throw new LossSurfaceException("Model file " + file + " is not an ONNX model (" + e.getMessage()
                    + "). Export one with torch.onnx.export or tf2onnx.", e);
        } catch (IOException e) {
            throw new LossSurfaceException("Model file " + file + " is not an ONNX model (" + e.getMessage()
                    + "). Export one with torch.onnx.export or tf2onnx.", e);
        }
        requireSafe(proto, file, maxElements);
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new LossSurfaceException("Model file " + file + " is not an ONNX model: it holds no graph. Export one with "
                    + "torch.onnx.export or tf2onnx.");
        }
        return new OnnxModel(file, proto, bytes);
    }

    /** Refuses what the runtime cannot run or what would cost memory before anything is allocated (see {@link #of(byte[], Path, long)}). */
    static void requireSafe(Onnx.ModelProto proto, Path file, long maxElements) {
        long opset = proto.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(Onnx.OperatorSetIdProto::getVersion).max().orElse(0);
        if (proto.getIrVersion() > MAX_IR_VERSION || opset > MAX_OPSET) {
            throw new LossSurfaceException("Model file " + file + " is newer than the ONNX Runtime here: IR version "
                    + proto.getIrVersion() + ", opset " + opset + "; it reads IR versions up to " + MAX_IR_VERSION + " and opsets up to "
                    + MAX_OPSET + ". Export it for opset " + MAX_OPSET + " or lower (torch.onnx.export(..., opset_version=17); tf2onnx"
                    + " --opset 17), or convert it: m = onnx.version_converter.convert_version(onnx.load(path), 17);"
                    + " m.ir_version = " + MAX_IR_VERSION + "; onnx.save(m, path2).");
        }
        for (Onnx.OperatorSetIdProto o : proto.getOpsetImportList()) {
            if (!DOMAINS.contains(o.getDomain())) {
                throw new LossSurfaceException("Model file " + file + " uses operators of domain '" + o.getDomain() + "', which need a"
                        + " custom-operator library; the probe never loads native code a model asks for. Export the model with"
                        + " standard ONNX operators.");
            }
        }
        Onnx.GraphProto g = proto.getGraph();
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (!DOMAINS.contains(n.getDomain())) {
                throw new LossSurfaceException("Model file " + file + ": operator " + n.getOpType() + " of domain '" + n.getDomain()
                        + "' needs a custom-operator library; the probe never loads native code a model asks for. Export the model"
                        + " with standard ONNX operators.");
            }
        }
        for (Onnx.TensorProto t : g.getInitializerList()) {
            requireSize(file, "initializer " + t.getName(), t.getDimsList(), maxElements);
        }
        for (Onnx.ValueInfoProto v : concat(g.getInputList(), g.getOutputList(), g.getValueInfoList())) {
            List<Long> dims = v.getType().getTensorType().getShape().getDimList().stream()
                    .map(d -> d.hasDimValue() ? d.getDimValue() : 1L).toList();
            requireSize(file, "tensor " + v.getName(), dims, maxElements);
        }
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private static void requireSize(Path file, String what, List<Long> dims, long maxElements) {
        long elements = 1;
        boolean overflow = false;
        for (long d : dims) {
            if (d < 0) {
                throw new LossSurfaceException("Model file " + file + ": " + what + " declares a negative size " + dims
                        + "; the file is damaged. Export the model again.");
            }
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                overflow = true;
                break;
            }
        }
        if (overflow || elements > maxElements) {
            throw new LossSurfaceException("Model file " + file + ": " + what + " declares shape " + dims + ", "
                    + (overflow ? "more elements than a long counts" : String.format(java.util.Locale.ROOT, "%,d elements", elements))
                    + ", above the limit of " + String.format(java.util.Locale.ROOT, "%,d", maxElements) + ". Model files are"
                    + " untrusted and refused before they cost memory; if the model is yours and that large, raise the limit with"
                    + " --max-elements.");
        }
    }

    /** Where the model was read from. */
    public Path file() {
        return file;
    }

    /** The model's one input. */
    public String input() {
        return input;
    }

    /** Its shape as declared; -1 marks a dimension the model leaves open (e.g. the batch). */
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** The model's one output. */
    public String output() {
        return output;
    }

    /** Its shape as declared; -1 marks an open dimension. */
    public long[] outputShape() {
        return outputShape.clone();
    }

    /** The operator that computes the output, e.g. {@code Softmax} or {@code Gemm}. */
    public String lastOperator() {
        return lastOp;
    }

    /** SHA-256 of the file (its external data files have their own: {@link #dataSha256()}). */
    public String sha256() {
        return sha256;
    }

    /** The external data files the model reads, each as {@code location:sha256}, comma-separated; empty when it reads none. */
    public String dataSha256() {
        return dataFiles.stream().map(d -> d.location() + ":" + d.sha256()).collect(Collectors.joining(", "));
    }

    /** The parameters' names, in layout order. */
    public List<String> parameterNames() {
        return parameters.stream().map(Onnx.TensorProto::getName).toList();
    }

    /**
     * The model with every parameter moved from the initializers to the graph inputs (same names,
     * same shapes), serialised: a session built from it takes the parameters with each run.
     */
    public byte[] evaluationModel() {
        Set<String> moved = Set.copyOf(parameterNames());
        Onnx.GraphProto.Builder g = proto.getGraph().toBuilder().clearInitializer();
        for (Onnx.TensorProto t : proto.getGraph().getInitializerList()) {
            if (!moved.contains(t.getName())) {
                g.addInitializer(t);
            }
        }
        // An initializer may already be listed as an input (older exporters); keep one entry.
        List<Onnx.ValueInfoProto> kept = g.getInputList().stream().filter(i -> !moved.contains(i.getName())).toList();
        g.clearInput().addAllInput(kept);
        for (Onnx.TensorProto t : parameters) {
            Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
            t.getDimsList().forEach(d -> shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d)));
            g.addInput(Onnx.ValueInfoProto.newBuilder().setName(t.getName()).setType(Onnx.TypeProto.newBuilder()
                    .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))));
        }
        return proto.toBuilder().setGraph(g).build().toByteArray();
    }

    /**
     * The model with {@code values} written into its initializers, serialised: what the file
     * would hold had it been saved with those parameters (for checks by hand).
     */
    public byte[] withParameters(float[] values) {
        layout.requireFits(values, "The parameter vector");
        return withEachParameter((t, b) -> {
            ByteBuffer raw = ByteBuffer.allocate(4 * b.length()).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(values, b.offset(), b.length());
            return t.clearFloatData().clearExternalData().setDataLocation(Onnx.TensorProto.DataLocation.DEFAULT)
                    .setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(raw.array()));
        });
    }

    /**
     * The model with its parameters stored in the external data file {@code location} (a name in the folder the model
     * is written to), in layout order, little-endian: block b at byte {@code 4 * b.offset()}. Serialised.
     */
    byte[] withParametersIn(String location) {
        return withEachParameter((t, b) -> t.clearFloatData().clearRawData().clearExternalData()
                .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxProtos.entry("location", location))
                .addExternalData(OnnxProtos.entry("offset", String.valueOf(4L * b.offset())))
                .addExternalData(OnnxProtos.entry("length", String.valueOf(4L * b.length()))));
    }

    /** The model with each parameter's initializer rewritten by {@code rewrite} (given it and its block), serialised. */
    private byte[] withEachParameter(java.util.function.BiFunction<Onnx.TensorProto.Builder, ParameterBlock, Onnx.TensorProto.Builder> rewrite) {
        Map<String, ParameterBlock> byName = new LinkedHashMap<>();
        layout.blocks().forEach(b -> byName.put(b.name(), b));
        Onnx.GraphProto.Builder g = proto.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            ParameterBlock b = byName.get(g.getInitializer(i).getName());
            if (b != null) {
                g.setInitializer(i, rewrite.apply(g.getInitializer(i).toBuilder(), b));
            }
        }
        return proto.toBuilder().setGraph(g).build().toByteArray();
    }

    @Override
    public float[] parameters() {
        return theta.clone();
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model-file", file.toString());
        m.put("model-type", "ONNX");
        m.put("model-sha256", sha256);
        if (!dataFiles.isEmpty()) {
            m.put("external-data", dataFiles.stream().map(ExternalData.DataFile::toMap).toList());
        }
        String producer = (proto.getProducerName() + " " + proto.getProducerVersion()).trim();
        m.put("producer", producer.isEmpty() ? "unknown" : producer);
        m.put("opset", proto.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty()).map(o -> o.getVersion())
                .findFirst().orElse(0L));
        m.put("parameters", layout.size());
        m.put("parameter-tensors", parameters.size());
        m.put("input", input + " " + dims(inputShape));
        m.put("output", output + " " + dims(outputShape) + (lastOp.isEmpty() ? "" : " from " + lastOp));
        return m;
    }

    /** The output axis of parameter {@code name} and why, from the operators that consume it. */
    private static Axis outputAxis(Onnx.GraphProto g, String name, int rank) {
        if (rank == 1) {
            return new Axis(0, "");
        }
        for (Onnx.NodeProto n : g.getNodeList()) {
            int slot = n.getInputList().indexOf(name);
            if (slot < 0) {
                continue;
            }
            String op = n.getOpType();
            if (op.equals("Gemm") && slot == 1 && rank == 2) {
                boolean transB = n.getAttributeList().stream().anyMatch(a -> a.getName().equals("transB") && a.getI() != 0);
                return transB ? new Axis(0, "Gemm B with transB=1: rows are output units")
                        : new Axis(1, "Gemm B: columns are output units");
            }
            if (op.equals("MatMul") && slot == 1) {
                return new Axis(rank - 1, "MatMul right operand: the last axis indexes output units");
            }
            if (op.equals("MatMul") && slot == 0) {
                return new Axis(rank - 2, "MatMul left operand: rows are output units");
            }
            if (op.equals("Conv") && slot == 1) {
                return new Axis(0, "Conv weight [out_channels, in_channels, kernel...]: axis 0 indexes filters");
            }
            if (op.equals("ConvTranspose") && slot == 1) {
                return new Axis(1, "ConvTranspose weight [in_channels, out_channels/group, kernel...]: axis 1 indexes filters");
            }
            return new Axis(0, "assumed: consumed by " + op + " (input " + slot + "), whose output axis is not known");
        }
        return new Axis(0, "assumed: no operator consumes it directly");
    }

    private record Axis(int axis, String note) {
    }

    private static float[] values(Onnx.TensorProto t) {
        int n = Math.toIntExact(t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b));
        float[] v = new float[n];
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != 4L * n) {
                throw new LossSurfaceException("ONNX initializer " + t.getName() + " holds " + t.getRawData().size()
                        + " bytes for shape " + t.getDimsList() + " (" + 4L * n + " expected); the file is damaged.");
            }
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        } else {
            if (t.getFloatDataCount() != n) {
                throw new LossSurfaceException("ONNX initializer " + t.getName() + " holds " + t.getFloatDataCount()
                        + " values for shape " + t.getDimsList() + "; the file is damaged.");
            }
            for (int i = 0; i < n; i++) {
                v[i] = t.getFloatData(i);
            }
        }
        return v;
    }

    private static long[] shape(Onnx.ValueInfoProto v) {
        return v.getType().getTensorType().getShape().getDimList().stream()
                .mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1).toArray();
    }

    private static String describe(Onnx.ValueInfoProto v) {
        return v.getName() + " " + dims(shape(v)) + " " + typeName(v.getType().getTensorType().getElemType());
    }

    static String dims(long[] shape) {
        return Arrays.stream(shape).mapToObj(d -> d < 0 ? "?" : String.valueOf(d)).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String typeName(int type) {
        return switch (type) {
            case 1 -> "float32";
            case 2 -> "uint8";
            case 3 -> "int8";
            case 6 -> "int32";
            case 7 -> "int64";
            case 9 -> "bool";
            case 10 -> "float16";
            case 11 -> "float64";
            case 16 -> "bfloat16";
            default -> "type " + type;
        };
    }
}
