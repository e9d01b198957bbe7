package losssurface.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A direction in parameter space along which a surface was measured.
 *
 * @param name   e.g. {@code direction-1}
 * @param values one value per parameter, in the objective's layout
 */
public record Direction(String name, float[] values) {
    public Direction {
        Objects.requireNonNull(name, "name");
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** The values themselves, not a copy: for the records of this package that only read them (a grid request). */
    float[] shared() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Direction d && name.equals(d.name) && Arrays.equals(values, d.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(values));
    }
}
