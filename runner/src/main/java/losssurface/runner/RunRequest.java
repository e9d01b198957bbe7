package losssurface.runner;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import losssurface.api.Settings;

/**
 * What {@code run} was asked to do.
 *
 * @param task      task name
 * @param trainer   trainer name
 * @param probe     probe name
 * @param renderers renderer names; empty means every renderer that is on by default
 * @param settings  the {@code --set} pairs
 * @param out       the output folder; the run gets a folder of its own inside it
 * @param seed      the run seed
 * @param cacheDir  where downloads are cached
 */
record RunRequest(String task, String trainer, String probe, List<String> renderers, Settings settings, Path out,
                  long seed, Path cacheDir) {
    RunRequest {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(probe, "probe");
        renderers = List.copyOf(renderers);
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(cacheDir, "cacheDir");
    }

    /** What the run was asked, as {@code state.json} keeps it so that {@code resume} can ask it again. */
    java.util.Map<String, Object> asked(String objective, List<String> resumes) {
        java.util.Map<String, Object> asked = new java.util.LinkedHashMap<>();
        asked.put("task", task);
        asked.put("trainer", trainer);
        asked.put("probe", probe);
        asked.put("renderers", renderers);
        asked.put("settings", new java.util.TreeMap<>(settings.values()));
        asked.put("seed", seed);
        asked.put("cache", cacheDir.toAbsolutePath().toString());
        asked.put("objective", objective == null ? "" : objective);
        asked.put("resumes", resumes);
        return asked;
    }

    /** The request {@link #asked} wrote, with its run folders in {@code out}. */
    @SuppressWarnings("unchecked")
    static RunRequest fromAsked(java.util.Map<String, Object> asked, Path out) {
        return new RunRequest((String) asked.get("task"), (String) asked.get("trainer"), (String) asked.get("probe"),
                (List<String>) asked.get("renderers"), Settings.of((java.util.Map<String, String>) asked.get("settings")), out,
                ((Number) asked.get("seed")).longValue(), Path.of((String) asked.get("cache")));
    }
}
