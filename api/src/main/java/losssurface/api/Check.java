package losssurface.api;

/**
 * Validation helpers for settings records: each failure names the key, the rule and the value,
 * e.g. {@code mnist.epochs must be > 0, was -3}.
 */
public final class Check {
    private Check() {
    }

    public static int positive(String key, int value) {
        if (value <= 0) {
            throw new SettingsException(key + " must be > 0, was " + value + ".");
        }
        return value;
    }

    public static long positive(String key, long value) {
        if (value <= 0) {
            throw new SettingsException(key + " must be > 0, was " + value + ".");
        }
        return value;
    }

    public static double positive(String key, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new SettingsException(key + " must be a finite number > 0, was " + value + ".");
        }
        return value;
    }

    public static int atLeast(String key, int min, int value) {
        if (value < min) {
            throw new SettingsException(key + " must be at least " + min + ", was " + value + ".");
        }
        return value;
    }

    public static int between(String key, int min, int max, int value) {
        if (value < min || value > max) {
            throw new SettingsException(key + " must be between " + min + " and " + max + ", was " + value + ".");
        }
        return value;
    }

    public static long between(String key, long min, long max, long value) {
        if (value < min || value > max) {
            throw new SettingsException(key + " must be between " + min + " and " + max + ", was " + value + ".");
        }
        return value;
    }

    public static double between(String key, double min, double max, double value) {
        if (!(value >= min && value <= max)) {
            throw new SettingsException(key + " must be between " + min + " and " + max + ", was " + value + ".");
        }
        return value;
    }
}
