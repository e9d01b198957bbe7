package losssurface.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code --set key=value} pairs of a run, read by plugins when they are created.
 *
 * <p>Every read is recorded under the reading plugin's name (see {@link #forOwner(String)}),
 * with its default, so the runner can reject keys that no plugin knows and list the keys
 * each plugin does know. Plugins therefore read all their settings inside
 * {@code create(settings)}, usually by building a validating record from them.
 *
 * <p>Values are parsed at this edge: a value that does not parse fails with a
 * {@link SettingsException} naming the key, the value and the expected form.
 */
public final class Settings {

    private final Map<String, String> values;
    private final SortedMap<String, SortedMap<String, String>> known;
    private final String owner;

    private Settings(Map<String, String> values, SortedMap<String, SortedMap<String, String>> known, String owner) {
        this.values = values;
        this.known = known;
        this.owner = owner;
    }

    /** Settings holding the given key/value pairs (keys are case-sensitive). */
    public static Settings of(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (key == null || key.isBlank()) {
                throw new SettingsException("A setting has an empty key. Write settings as --set key=value.");
            }
        }
        return new Settings(Collections.unmodifiableMap(new LinkedHashMap<>(values)), new TreeMap<>(), "run");
    }

    /** No settings: every read returns its default. */
    public static Settings empty() {
        return of(Map.of());
    }

    /**
     * Parses {@code key=value} strings, as given to {@code --set}.
     *
     * @throws SettingsException for a pair without '=' or a key given twice
     */
    public static Settings parse(List<String> pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new SettingsException("Setting '" + pair + "' is not of the form key=value, e.g. --set plane.grid=21.");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (values.put(key, value) != null) {
                throw new SettingsException("Setting '" + key + "' is given twice. Give each key once.");
            }
        }
        return of(values);
    }

    /** A view whose reads are recorded as known keys of {@code owner} (e.g. "task mnist"). */
    public Settings forOwner(String owner) {
        return new Settings(values, known, owner);
    }

    /** All key/value pairs given by the user. */
    public Map<String, String> values() {
        return values;
    }

    /** Keys the user gave that no plugin has read. */
    public SortedSet<String> unreadKeys() {
        SortedSet<String> unread = new TreeSet<>(values.keySet());
        known.values().forEach(keys -> unread.removeAll(keys.keySet()));
        return unread;
    }

    /** Every key read so far, by owner, with the default the reader gave (as text). */
    public SortedMap<String, SortedMap<String, String>> knownKeys() {
        SortedMap<String, SortedMap<String, String>> copy = new TreeMap<>();
        known.forEach((o, keys) -> copy.put(o, Collections.unmodifiableSortedMap(new TreeMap<>(keys))));
        return Collections.unmodifiableSortedMap(copy);
    }

    /**
     * Rejects keys no plugin read.
     *
     * @throws SettingsException naming each unknown key and the known keys, grouped by plugin
     */
    public void requireAllKnown() {
        SortedSet<String> unread = unreadKeys();
        if (unread.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder();
        for (String key : unread) {
            String prefix = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : key;
            List<String> owners = new ArrayList<>();
            known.forEach((o, keys) -> {
                if (keys.keySet().stream().anyMatch(k -> k.startsWith(prefix))) {
                    owners.add(o);
                }
            });
            message.append("Unknown setting '").append(key).append("'.");
            if (owners.isEmpty()) {
                message.append(" No plugin in this run reads keys starting with '").append(prefix).append("'.");
            }
            message.append('\n');
        }
        message.append("Known settings of this run:");
        known.forEach((o, keys) -> {
            if (!keys.isEmpty()) {
                message.append("\n  ").append(o).append(": ");
                List<String> items = new ArrayList<>();
                keys.forEach((k, d) -> items.add(k + (d.isEmpty() ? "" : " (default " + d + ")")));
                message.append(String.join(", ", items));
            }
        });
        throw new SettingsException(message.toString());
    }

    private Optional<String> read(String key, Object defaultValue) {
        known.computeIfAbsent(owner, o -> new TreeMap<>())
                .put(key, defaultValue == null ? "" : String.valueOf(defaultValue));
        return Optional.ofNullable(values.get(key));
    }

    /** Whether the user gave {@code key} (recorded as a read without default). */
    public boolean has(String key) {
        return read(key, null).isPresent();
    }

    public String string(String key, String defaultValue) {
        return read(key, defaultValue).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        return read(key, defaultValue).map(v -> parseInt(key, v)).orElse(defaultValue);
    }

    /** A whole number the user may leave out; {@code defaultText} says what applies then, e.g. "the task's". */
    public java.util.OptionalInt optionalInteger(String key, String defaultText) {
        return read(key, defaultText).map(v -> java.util.OptionalInt.of(parseInt(key, v))).orElse(java.util.OptionalInt.empty());
    }

    /** A number the user may leave out; {@code defaultText} says what applies then. */
    public java.util.OptionalDouble optionalDecimal(String key, String defaultText) {
        return read(key, defaultText).map(v -> java.util.OptionalDouble.of(parseDouble(key, v))).orElse(java.util.OptionalDouble.empty());
    }

    /** A whole number the user may leave out; {@code defaultText} says what applies then, e.g. "the run seed". */
    public java.util.OptionalLong optionalLong(String key, String defaultText) {
        return read(key, defaultText).map(v -> {
            try {
                return java.util.OptionalLong.of(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                throw new SettingsException(key + " must be a whole number, was '" + v + "'.");
            }
        }).orElse(java.util.OptionalLong.empty());
    }

    public long longValue(String key, long defaultValue) {
        return read(key, defaultValue).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new SettingsException(key + " must be a whole number, was '" + v + "'.");
            }
        }).orElse(defaultValue);
    }

    public double decimal(String key, double defaultValue) {
        return read(key, defaultValue).map(v -> parseDouble(key, v)).orElse(defaultValue);
    }

    public boolean flag(String key, boolean defaultValue) {
        return read(key, defaultValue).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new SettingsException(key + " must be true or false, was '" + v + "'.");
        }).orElse(defaultValue);
    }

    /** One of {@code allowed} (case-insensitive), returned in lower case. */
    public String choice(String key, String defaultValue, Set<String> allowed) {
        String v = string(key, defaultValue).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new SettingsException(key + " must be one of " + String.join(", ", new TreeSet<>(allowed))
                    + ", was '" + v + "'.");
        }
        return v;
    }

    /** A comma-separated list of whole numbers, e.g. {@code 128,64}. */
    public List<Integer> integers(String key, List<Integer> defaultValue) {
        String shown = String.join(",", defaultValue.stream().map(String::valueOf).toList());
        return read(key, shown).map(v -> {
            List<Integer> out = new ArrayList<>();
            for (String part : v.split(",", -1)) {
                out.add(parseInt(key, part.trim()));
            }
            return List.copyOf(out);
        }).orElse(defaultValue);
    }

    /** A closed range written {@code min:max}, e.g. {@code -1:1}. */
    public Range range(String key, Range defaultValue) {
        return read(key, defaultValue).map(v -> parseRange(key, v)).orElse(defaultValue);
    }

    /**
     * A range the user may leave out or set to {@code auto}; {@code defaultText} says what applies
     * then, e.g. "auto (the path's extent)".
     */
    public Optional<Range> optionalRange(String key, String defaultText) {
        return read(key, defaultText).filter(v -> !v.equalsIgnoreCase("auto")).map(v -> parseRange(key, v));
    }

    private static Range parseRange(String key, String v) {
        int colon = v.indexOf(':', 1);
        if (colon < 0) {
            throw new SettingsException(key + " must be written min:max, e.g. -1:1, was '" + v + "'.");
        }
        return Range.of(key, parseDouble(key, v.substring(0, colon)), parseDouble(key, v.substring(colon + 1)));
    }

    public Optional<Path> path(String key) {
        return read(key, null).map(Path::of);
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new SettingsException(key + " must be a whole number, was '" + v + "'.");
        }
    }

    private static double parseDouble(String key, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new SettingsException(key + " must be a number, was '" + v + "'.");
        }
    }

    /** A closed interval of finite numbers with {@code min < max}. */
    public record Range(double min, double max) {
        public Range {
            check("range", min, max);
        }

        static Range of(String key, double min, double max) {
            check(key, min, max);
            return new Range(min, max);
        }

        private static void check(String key, double min, double max) {
            if (!Double.isFinite(min) || !Double.isFinite(max)) {
                throw new SettingsException(key + " bounds must be finite numbers, was " + min + ":" + max + ".");
            }
            if (!(min < max)) {
                throw new SettingsException(key + " must have min < max, was " + min + ":" + max + ".");
            }
        }

        /**
         * {@code points} evenly spaced values from min to max inclusive.
         *
         * @throws IllegalArgumentException when {@code points < 2}: both ends need a point
         */
        public double[] linspace(int points) {
            if (points < 2) {
                throw new IllegalArgumentException("A range " + this + " spreads over at least 2 points (its two ends), not "
                        + points + ".");
            }
            double[] out = new double[points];
            for (int i = 0; i < points; i++) {
                out[i] = min + (max - min) * i / (points - 1);
            }
            out[points - 1] = max;
            return out;
        }

        @Override
        public String toString() {
            return fmt(min) + ":" + fmt(max);
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
        }
    }
}
