package losssurface.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a flat parameter vector is made of named blocks. Blocks are listed in the order of
 * their offsets, cover the vector without gaps or overlaps, and have unique names.
 */
public record ParameterLayout(List<ParameterBlock> blocks) {

    public ParameterLayout {
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("A parameter layout needs at least one block");
        }
        int expected = 0;
        Set<String> names = new HashSet<>();
        for (ParameterBlock b : blocks) {
            if (b.offset() != expected) {
                throw new IllegalArgumentException("Block " + b.name() + " starts at " + b.offset()
                        + " but the previous blocks end at " + expected + "; blocks must be contiguous and in order");
            }
            if (!names.add(b.name())) {
                throw new IllegalArgumentException("Two blocks are named " + b.name());
            }
            expected += b.length();
        }
    }

    /** A layout of one unstructured block of {@code n} parameters (for objectives that are not networks). */
    public static ParameterLayout flat(int n) {
        return new ParameterLayout(List.of(new ParameterBlock("theta", 0, ParameterBlock.Kind.WEIGHT,
                new int[] {n}, 0, 'f', 0, "")));
    }

    /** Total number of parameters. */
    public int size() {
        ParameterBlock last = blocks.get(blocks.size() - 1);
        return last.offset() + last.length();
    }

    /**
     * Sets the entries of every {@link ParameterBlock.Kind#STATE} block of {@code direction} to zero, in place: a
     * direction never moves state. Returns {@code direction}.
     */
    public float[] clearState(float[] direction) {
        requireFits(direction, "The direction");
        for (ParameterBlock b : blocks) {
            if (b.kind() == ParameterBlock.Kind.STATE) {
                java.util.Arrays.fill(direction, b.offset(), b.offset() + b.length(), 0f);
            }
        }
        return direction;
    }

    /** Throws a clear error when a vector does not fit this layout. */
    public void requireFits(float[] parameters, String what) {
        if (parameters.length != size()) {
            throw new IllegalArgumentException(what + " has " + parameters.length
                    + " parameters but the layout has " + size());
        }
    }
}
