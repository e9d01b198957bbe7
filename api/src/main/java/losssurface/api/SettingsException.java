package losssurface.api;

/**
 * A setting the user gave (or left out) is not acceptable: unknown key, unparsable or
 * out-of-range value. The runner treats it as a usage error (exit status 2).
 */
public class SettingsException extends LossSurfaceException {
    public SettingsException(String message) {
        super(message);
    }
}
