package losssurface.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a run came from: enough to repeat it.
 *
 * @param task     task name
 * @param trainer  trainer name
 * @param probe    probe name
 * @param settings every setting in force, defaults included, by key
 * @param seed     the run seed
 * @param versions software versions (losssurface, JDK, DL4J, OS...)
 * @param timings  seconds per stage (train, probe, render...)
 * @param details  anything else: git commit, trainer and probe reports; never one of {@link #RESERVED}, the
 *                 keys {@code provenance.json} writes itself (each key is written once)
 */
public record Provenance(String task, String trainer, String probe, Map<String, String> settings, long seed,
                         Map<String, String> versions, Map<String, Double> timings, Map<String, Object> details) {
    /** The keys of {@code provenance.json} that the run folder writes from the fields of a run, not from {@code details}. */
    public static final java.util.Set<String> RESERVED = java.util.Set.of("format", "run", "task", "trainer", "probe", "seed",
            "settings", "versions", "timings-seconds", "model", "files");

    public Provenance {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(probe, "probe");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        for (String key : details.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("Provenance detail '" + key + "' would overwrite the key provenance.json writes"
                        + " itself; name it otherwise (reserved: " + new java.util.TreeSet<>(RESERVED) + ").");
            }
        }
    }
}
