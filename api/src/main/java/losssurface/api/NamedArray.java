package losssurface.api;

import java.util.Arrays;

/**
 * An n-dimensional array to be saved with a run, row-major (C order).
 *
 * @param shape  dimensions
 * @param values row-major data, {@code double[]}, {@code float[]}, {@code int[]} or {@code boolean[]}
 */
public record NamedArray(int[] shape, Object values) {
    public NamedArray {
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        int length;
        if (values instanceof double[] a) {
            length = a.length;
        } else if (values instanceof float[] a) {
            length = a.length;
        } else if (values instanceof int[] a) {
            length = a.length;
        } else if (values instanceof boolean[] a) {
            length = a.length;
        } else {
            throw new IllegalArgumentException("unsupported array type " + (values == null ? "null" : values.getClass()));
        }
        if (length != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }
}
