package losssurface.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
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
 * @param state   running, interrupted, failed or complete
 * @param stage   what the run was doing: training, objective, surface, rendering or done
 * @param pid     the process that wrote it
 * @param message what happened, for interrupted and failed runs
 * @param request what was asked: task, trainer, probe, renderers, settings, seed, cache, objective
 */
public record RunState(String state, String stage, long pid, String message, Map<String, Object> request) {

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
        request = Map.copyOf(request);
    }

    /** A run that has just started, in this process. */
    public static RunState started(Map<String, Object> request) {
        return new RunState(RUNNING, "training", ProcessHandle.current().pid(), "", request);
    }

    /** The same run at another stage, still running. */
    public RunState at(String newStage) {
        return new RunState(RUNNING, newStage, pid, "", request);
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state);
        out.put("stage", stage);
        out.put("pid", pid);
        out.put("updated", Instant.now().toString());
        out.put("message", message);
        out.put("request", request);
        try {
            AtomicFiles.writeString(dir.resolve(RunFolder.STATE), JSON.writeValueAsString(out));
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
            Map<String, Object> in = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
            @SuppressWarnings("unchecked")
            Map<String, Object> request = in.get("request") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            return Optional.of(new RunState(String.valueOf(in.get("state")), String.valueOf(in.get("stage")),
                    ((Number) in.getOrDefault("pid", 0L)).longValue(), String.valueOf(in.getOrDefault("message", "")), request));
        } catch (IOException | RuntimeException e) {
            throw new LossSurfaceException(file + " is damaged (" + e.getMessage() + "). It says what state the run is in;"
                    + " start a new run.", e);
        }
    }
}
