package losssurface.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named block of a flat parameter vector: a layer's weight matrix or bias vector, or state that
 * the model keeps beside its parameters (batch normalisation's running mean and variance).
 *
 * @param name       unique name, e.g. {@code 0_W} or {@code 1_b}
 * @param layer      index of the layer the block belongs to
 * @param kind       weight, bias or state
 * @param shape      the block's shape, e.g. {@code [nIn, nOut]} for a dense weight matrix
 * @param offset     index of the block's first element in the flat vector
 * @param order      how the shape is laid out in the flat slice: 'f' (column-major) or 'c' (row-major)
 * @param outputAxis the axis of {@code shape} that indexes output neurons (filters); filter
 *                   normalisation scales each slice along this axis separately
 * @param activation the layer's activation function, e.g. {@code relu}, or empty
 * @param axisNote   why {@code outputAxis} is the output axis, where that was inferred (e.g. from the
 *                   ONNX operator that consumes the block), and why the block is of its kind where that was
 *                   inferred (e.g. a vector of rank 4), or empty
 * @param source     where the block's values were read from when not from the model file itself (ONNX external
 *                   data: the data file, its size and SHA-256, the offset), or empty
 */
public record ParameterBlock(String name, int layer, Kind kind, int[] shape, int offset, char order,
                             int outputAxis, String activation, String axisNote, String source) {

    /** What a block is, which decides how directions treat it. */
    public enum Kind {
        /** Weights: directions move them, filter-normalised. */
        WEIGHT,
        /** Biases and normalisation scales and shifts: zero in directions, or theta*'s values with {@code plane.bias=keep}. */
        BIAS,
        /**
         * State the model keeps beside its parameters, which training estimates rather than optimises (batch
         * normalisation's running mean and variance): part of the vector, so that a model can be evaluated at
         * theta*, but never moved by a direction, whatever the direction settings say (as loss-landscape's
         * directions take a model's {@code parameters()}, not its buffers).
         */
        STATE
    }

    public ParameterBlock {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        shape = shape.clone();
        activation = activation == null ? "" : activation;
        axisNote = axisNote == null ? "" : axisNote;
        source = source == null ? "" : source;
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("Block " + name + ": shape must have positive dimensions, was " + Arrays.toString(shape));
        }
        if (offset < 0) {
            throw new IllegalArgumentException("Block " + name + ": offset must be >= 0, was " + offset);
        }
        if (order != 'f' && order != 'c') {
            throw new IllegalArgumentException("Block " + name + ": order must be 'f' or 'c', was '" + order + "'");
        }
        if (outputAxis < 0 || outputAxis >= shape.length) {
            throw new IllegalArgumentException("Block " + name + ": outputAxis " + outputAxis + " is not an axis of " + Arrays.toString(shape));
        }
    }

    /** A block read from the model file itself. */
    public ParameterBlock(String name, int layer, Kind kind, int[] shape, int offset, char order, int outputAxis, String activation,
                          String axisNote) {
        this(name, layer, kind, shape, offset, order, outputAxis, activation, axisNote, "");
    }

    /** A block whose output axis needs no explanation. */
    public ParameterBlock(String name, int layer, Kind kind, int[] shape, int offset, char order, int outputAxis, String activation) {
        this(name, layer, kind, shape, offset, order, outputAxis, activation, "");
    }

    /** A dense layer's {@code [nIn, nOut]} weight matrix, column-major as DL4J keeps it. */
    public static ParameterBlock denseWeights(int layer, int nIn, int nOut, int offset, String activation) {
        return new ParameterBlock(layer + "_W", layer, Kind.WEIGHT, new int[] {nIn, nOut}, offset, 'f', 1, activation);
    }

    /** A dense layer's bias vector of {@code nOut} entries. */
    public static ParameterBlock bias(int layer, int nOut, int offset, String activation) {
        return new ParameterBlock(layer + "_b", layer, Kind.BIAS, new int[] {nOut}, offset, 'f', 0, activation);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int length() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Number of output neurons (filters): the size of {@link #outputAxis()}. */
    public int neurons() {
        return shape[outputAxis];
    }

    /** Flat indices (into the whole parameter vector) of the elements that belong to output neuron {@code j}. */
    public int[] neuronIndices(int j) {
        if (j < 0 || j >= neurons()) {
            throw new IndexOutOfBoundsException("neuron " + j + " of block " + name);
        }
        int[] strides = new int[shape.length];
        if (order == 'f') {
            int s = 1;
            for (int a = 0; a < shape.length; a++) {
                strides[a] = s;
                s *= shape[a];
            }
        } else {
            int s = 1;
            for (int a = shape.length - 1; a >= 0; a--) {
                strides[a] = s;
                s *= shape[a];
            }
        }
        int count = length() / neurons();
        int[] out = new int[count];
        int[] idx = new int[shape.length];
        idx[outputAxis] = j;
        for (int n = 0; n < count; n++) {
            int flat = offset;
            for (int a = 0; a < shape.length; a++) {
                flat += idx[a] * strides[a];
            }
            out[n] = flat;
            // advance the multi-index over every axis except outputAxis
            for (int a = 0; a < shape.length; a++) {
                if (a == outputAxis) {
                    continue;
                }
                if (++idx[a] < shape[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterBlock b && name.equals(b.name) && layer == b.layer && kind == b.kind
                && Arrays.equals(shape, b.shape) && offset == b.offset && order == b.order
                && outputAxis == b.outputAxis && activation.equals(b.activation) && axisNote.equals(b.axisNote)
                && source.equals(b.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, layer, kind, Arrays.hashCode(shape), offset, order, outputAxis, activation, axisNote, source);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset;
    }
}
