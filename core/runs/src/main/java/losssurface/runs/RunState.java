package losssurface.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import losssurface.api.LossSurfaceException;
import losssurface.api.io.AtomicFiles;

/**
 * What state a run folder is in ({@code state.json}): {@value #RUNNING} (with the stage and the
 * process), {@value #INTERRUPTED}, {@value #FAILED} (with the message), {@value #PARTIAL} (a share
 * of the tiles computed, as asked) or {@value #COMPLETE},
 * and the request that made it, so that {@code losssurface resume} can finish it. A folder
 * without the file is a run from before there was one, complete if it has a surface.
 *
 * <p>The file is this record as Jackson writes it (one key per component, plus {@code updated}),
 * and is read back the same way: there is no hand-built map in either direction.
 *
 * @param state   running, interrupted, failed or complete
 * @param stage   what the run was doing: training, objective, surface, analysis, rendering or done
 * @param pid     the process that wrote it
 * @param message what happened, for interrupted and failed runs
 * @param request what was asked, so that {@code resume} can ask it again
 */
@JsonPropertyOrder({"state", "stage", "pid", "updated", "message", "request"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunState(String state, String stage, long pid, String message, Request request) {

    /**
     * What a run was asked to do.
     *
     * @param task      task name
     * @param trainer   trainer name
     * @param probe     probe name
     * @param renderers renderer names; empty for every renderer on by default
     * @param settings  the {@code --set} pairs, sorted by key
     * @param seed      the run seed
     * @param cache     the download cache, absolute
     * @param objective the one objective this folder draws (of a model that offers several), or empty
     * @param resumes   each resume of the run so far: when, which share, from what state
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Request(String task, String trainer, String probe, List<String> renderers, Map<String, String> settings, long seed,
                          String cache, String objective, List<String> resumes) {
        public Request {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(trainer, "trainer");
            Objects.requireNonNull(probe, "probe");
            renderers = renderers == null ? List.of() : List.copyOf(renderers);
            settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(settings));
            Objects.requireNonNull(cache, "cache");
            objective = objective == null ? "" : objective;
            resumes = resumes == null ? List.of() : List.copyOf(resumes);
        }

        /** The same request for the one objective {@code name}. */
        public Request forObjective(String name) {
            return new Request(task, trainer, probe, renderers, settings, seed, cache, name, resumes);
        }
    }

    /** When the file was written (read back, not needed: each write stamps the time anew). */
    @JsonProperty("updated")
    String updated() {
        return Instant.now().toString();
    }


    public static final String RUNNING = "running";
    public static final String INTERRUPTED = "interrupted";
    public static final String FAILED = "failed";
    public static final String COMPLETE = "complete";
    /** Its process computed the share of the surface's tiles it was asked for ({@code --tiles K/N}); other shares are missing. */
    public static final String PARTIAL = "partial";

    private static final Set<String> STATES = Set.of(RUNNING, INTERRUPTED, FAILED, COMPLETE, PARTIAL);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunState {
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("unknown run state '" + state + "'");
        }
        Objects.requireNonNull(stage, "stage");
        message = message == null ? "" : message;
        Objects.requireNonNull(request, "request");
    }

    /** A run that has just started, in this process. */
    public static RunState started(Request request) {
        return new RunState(RUNNING, "training", ProcessHandle.current().pid(), "", request);
    }

    /** The same run at another stage, still running. */
    public RunState at(String newStage) {
        return new RunState(RUNNING, newStage, pid, "", request);
    }

    /**
     * This state with every resume that {@code saved} (the file as another share of the run wrote it meanwhile) records and
     * this one does not, so that shares working side by side each keep their line.
     */
    public RunState mergedWith(Optional<RunState> saved) {
        if (saved.isEmpty()) {
            return this;
        }
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(saved.get().request().resumes());
        all.addAll(request.resumes());
        if (all.size() == request.resumes().size()) {
            return this;
        }
        Request r = request;
        return new RunState(state, stage, pid, message, new Request(r.task(), r.trainer(), r.probe(), r.renderers(), r.settings(),
                r.seed(), r.cache(), r.objective(), List.copyOf(all)));
    }

    /** The same run ended in {@code newState} with {@code why}. */
    public RunState ended(String newState, String why) {
        return new RunState(newState, newState.equals(COMPLETE) ? "done" : stage, pid, why, request);
    }

    public boolean complete() {
        return state.equals(COMPLETE);
    }

    /**
     * Whether the run's surface is whole: complete, or stopped while its pictures were drawn (the
     * numbers are written first), so it can be read and drawn.
     */
    public boolean surfaceWhole() {
        return complete() || !state.equals(PARTIAL) && stage.equals("rendering");
    }

    /** Running, and its process is still alive (a run killed outright stays "running" in its file). */
    public boolean alive() {
        return state.equals(RUNNING) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && pid != ProcessHandle.current().pid();
    }

    /** E.g. "interrupted during the surface; 5 of 13 surface tiles kept". */
    public String describe(Path dir) {
        String what = switch (state) {
            case RUNNING -> alive() ? "still running in process " + pid + ", at " + stage
                    : "stopped without a word during " + stage + " (the process " + pid + " is gone, e.g. killed)";
            case INTERRUPTED -> "interrupted during " + stage;
            case FAILED -> "failed during " + stage + (message.isEmpty() ? "" : ": " + message);
            case PARTIAL -> "partial: " + message;
            default -> "complete";
        };
        return what + "; " + RunTiles.progress(dir) + " kept";
    }

    /** What to do about it. */
    public String advice(Path dir) {
        if (alive()) {
            return "Wait for it to finish.";
        }
        if (state.equals(PARTIAL)) {
            return "Compute the other shares with 'losssurface resume " + dir + " --tiles K/N' (side by side, on machines"
                    + " sharing the folder), or all that is missing with 'losssurface resume " + dir + "', which also assembles"
                    + " and draws it.";
        }
        return "Finish it with: losssurface resume " + dir;
    }

    public void write(Path dir) {
        try {
            AtomicFiles.writeString(dir.resolve(RunFolder.STATE), JSON.writeValueAsString(this));
        } catch (IOException e) {
            throw new LossSurfaceException("Cannot write " + dir.resolve(RunFolder.STATE) + " (" + e.getMessage() + "), so the run"
                    + " stopped at " + stage + ". What it kept so far stays in " + dir + "; make room (or fix the folder's"
                    + " permissions), then finish it with 'losssurface resume " + dir + "'.", e);
        }
    }

    /** The state of the run in {@code dir}, if it has a state file. */
    public static Optional<RunState> read(Path dir) {
        Path file = dir.resolve(RunFolder.STATE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), RunState.class));
        } catch (IOException | RuntimeException e) {
            throw new LossSurfaceException(file + " is damaged (" + e.getMessage() + "). It says what state the run is in;"
                    + " start a new run.", e);
        }
    }
}
