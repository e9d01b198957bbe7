package losssurface.runner;

import losssurface.api.LossSurfaceException;

/** The command line asked for something that does not exist or does not fit; exit status 2. */
public final class UsageException extends LossSurfaceException {
    public UsageException(String message) {
        super(message);
    }
}
