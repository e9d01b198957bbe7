package losssurface.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * One axis of a surface grid.
 *
 * @param name   short name used in files, e.g. {@code alpha}
 * @param label  what the axis is, for pictures, e.g. "direction 1 (filter-normalised)"
 * @param values the coordinates, strictly increasing
 */
public record Axis(String name, String label, double[] values) {
    public Axis {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        values = values.clone();
        if (values.length < 1) {
            throw new IllegalArgumentException("axis " + name + " has no values");
        }
        for (int i = 1; i < values.length; i++) {
            if (!(values[i] > values[i - 1])) {
                throw new IllegalArgumentException("axis " + name + " values must be strictly increasing");
            }
        }
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    public int size() {
        return values.length;
    }

    public double value(int i) {
        return values[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Axis a && name.equals(a.name) && label.equals(a.label) && Arrays.equals(values, a.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, label, Arrays.hashCode(values));
    }
}
