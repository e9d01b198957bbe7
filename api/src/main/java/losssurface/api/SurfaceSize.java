package losssurface.api;

/**
 * How many points a probe's settings ask for, known before anything is trained, so that the
 * surface job can refuse a grid larger than {@code surface.max-points} at once.
 *
 * @param key    the setting that sized the grid, e.g. {@code plane.grid}, named in the refusal
 * @param points the number of points
 */
public record SurfaceSize(String key, long points) {
    public SurfaceSize {
        java.util.Objects.requireNonNull(key, "key");
        if (points < 1) {
            throw new IllegalArgumentException(key + " gives " + points + " points; a surface has at least one");
        }
    }
}
