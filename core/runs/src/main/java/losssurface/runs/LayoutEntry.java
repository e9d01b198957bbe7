package losssurface.runs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

import losssurface.api.ParameterBlock;

/**
 * One parameter block as {@code layout.json} lists it, written and read by Jackson.
 *
 * @param name           e.g. {@code 0_W}
 * @param layer          the layer's index
 * @param kind           {@code weight}, {@code bias} or {@code state} (running statistics, never moved by a direction)
 * @param shape          the block's shape
 * @param offset         its first element in theta*
 * @param length         its number of elements
 * @param order          {@code f} (column-major) or {@code c} (row-major)
 * @param outputAxis     the axis that indexes output neurons (filters)
 * @param outputAxisNote why that is the output axis, where it was inferred (omitted when empty)
 * @param activation     the layer's activation, or empty
 * @param source         where its values were read from when not from the model file (ONNX external data), or empty
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"name", "layer", "kind", "shape", "offset", "length", "order", "output-axis", "output-axis-note", "activation", "source"})
@JsonIgnoreProperties(ignoreUnknown = true)
record LayoutEntry(String name, int layer, String kind, int[] shape, int offset, int length, String order,
                   @JsonProperty("output-axis") int outputAxis,
                   @JsonProperty("output-axis-note") @JsonInclude(JsonInclude.Include.NON_EMPTY) String outputAxisNote,
                   String activation, @JsonInclude(JsonInclude.Include.NON_EMPTY) String source) {

    static LayoutEntry of(ParameterBlock b) {
        return new LayoutEntry(b.name(), b.layer(), b.kind().name().toLowerCase(Locale.ROOT), b.shape(), b.offset(), b.length(),
                String.valueOf(b.order()), b.outputAxis(), b.axisNote(), b.activation(), b.source());
    }

    ParameterBlock block() {
        return new ParameterBlock(name, layer, ParameterBlock.Kind.valueOf(kind.toUpperCase(Locale.ROOT)), shape, offset,
                order.charAt(0), outputAxis, activation == null ? "" : activation, outputAxisNote == null ? "" : outputAxisNote,
                source == null ? "" : source);
    }
}
