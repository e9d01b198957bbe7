package losssurface.runner;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import losssurface.api.Settings;
import losssurface.runs.RunState;

/**
 * What {@code run} was asked to do: the request every route builds for the pipeline ({@code run}, {@code demo},
 * {@code bench}; {@code resume} rebuilds it from {@code state.json}).
 *
 * @param task      task name
 * @param trainer   trainer name
 * @param probe     probe name
 * @param renderers renderer names; empty means every renderer that is on by default
 * @param settings  the {@code --set} pairs
 * @param out       the output folder; the run gets a folder of its own inside it
 * @param seed      the run seed
 * @param cacheDir  where downloads are cached
 * @param from      a run folder whose trained model to draw instead of training one ({@code run --from}); it must
 *                  have been trained by the same task and trainer, with the same trainer settings
 */
public record RunRequest(String task, String trainer, String probe, List<String> renderers, Settings settings, Path out,
                         long seed, Path cacheDir, Optional<Path> from) {
    public RunRequest {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(probe, "probe");
        renderers = List.copyOf(renderers);
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(from, "from");
    }

    /** A request that trains its model. */
    public RunRequest(String task, String trainer, String probe, List<String> renderers, Settings settings, Path out, long seed,
                      Path cacheDir) {
        this(task, trainer, probe, renderers, settings, out, seed, cacheDir, Optional.empty());
    }

    /** The same request, drawing the model trained in {@code runDir} instead of training one. */
    public RunRequest trainedIn(Path runDir) {
        return new RunRequest(task, trainer, probe, renderers, settings, out, seed, cacheDir, Optional.of(runDir));
    }

    /** What the run was asked, as {@code state.json} keeps it so that {@code resume} can ask it again. */
    RunState.Request asked(String objective, List<String> resumes) {
        return new RunState.Request(task, trainer, probe, renderers, settings.values(), seed,
                cacheDir.toAbsolutePath().toString(), objective, resumes);
    }

    /** The request {@link #asked} recorded, with its run folders in {@code out}. */
    static RunRequest fromAsked(RunState.Request asked, Path out) {
        return new RunRequest(asked.task(), asked.trainer(), asked.probe(), asked.renderers(), Settings.of(asked.settings()), out,
                asked.seed(), Path.of(asked.cache()));
    }
}
