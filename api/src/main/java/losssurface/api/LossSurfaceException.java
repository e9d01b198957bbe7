package losssurface.api;

/**
 * A failure the user can act on: bad data, an unwritable folder, a network that diverged.
 * The runner prints {@link #getMessage()} without a stack trace and exits with status 1.
 * Messages name the cause and the fix.
 */
public class LossSurfaceException extends RuntimeException {
    public LossSurfaceException(String message) {
        super(message);
    }

    public LossSurfaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
