package losssurface.runner;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import losssurface.api.Agent;
import losssurface.api.IncompleteSurfaceException;
import losssurface.api.LossSurfaceException;
import losssurface.api.NamedArray;
import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.ProbeInput;
import losssurface.api.Progress;
import losssurface.api.Provenance;
import losssurface.api.RunContext;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.SurfaceProbe;
import losssurface.api.TileStore;
import losssurface.api.TrainedModel;
import losssurface.api.TrainingHistory;
import losssurface.runner.RunStates.Tracked;
import losssurface.runs.RunFolder;
import losssurface.runs.RunState;
import losssurface.runs.RunTiles;
import losssurface.runs.Analysis;
import losssurface.runs.SurfaceJob;

/**
 * The stages after an objective is made: the surface (through the surface job, its tiles kept in
 * the run folder when the run is tracked), the provenance, and the render stage. Closes the
 * objective when done (e.g. ONNX Runtime's sessions).
 */
final class Drawer {

    private final Progress progress;
    private final RuntimeInfo runtime;

    Drawer(Progress progress, RuntimeInfo runtime) {
        this.progress = progress;
        this.runtime = runtime;
    }

    /** Names recorded in provenance. */
    record Names(String task, String trainer, String probe) {
    }

    /**
     * One objective to draw into one folder.
     *
     * @param plugins       the classes (or files) the run was made from, for provenance
     * @param objectiveName the objective's name where the model offers several, else empty
     * @param tracked       the run's state file, or null for a probe of a saved model (which keeps no tiles)
     * @param tiles         the share of the surface's tiles this process computes
     */
    record Drawing(Names names, Map<String, Object> plugins, SurfaceProbe probe, SurfaceJob surfaceJob, Analysis analysis,
                   Renderers.Chosen renderers,
                   Settings settings, TrainedModel model, Objective objective, RunContext context, Path runDir,
                   Map<String, Double> timings, String objectiveName, Tracked tracked, RunService.TileJob tiles) {
    }

    RunOutcome draw(Drawing d) {
        try (Objective closed = d.objective()) {
            Path runDir = d.runDir();
            Tracked tracked = d.tracked();
            Map<String, Double> timings = d.timings();
            progress.info("Probing " + d.objective().description() + " with " + d.names().probe());
            if (tracked != null) {
                tracked.stage("surface");
            }
            long t0 = System.nanoTime();
            TileStore store = tracked == null ? TileStore.NONE : new RunTiles(runDir, d.tiles().share(), d.tiles().engine(),
                    d.tiles().attempt(), progress::info);
            Surface surface;
            Map<String, Double> job = new LinkedHashMap<>();
            try {
                surface = d.surfaceJob().run(d.probe(), new ProbeInput(d.objective(), d.model().parameters(),
                        d.model().checkpoints(), d.context()), store, job);
            } catch (IncompleteSurfaceException e) {
                String done = "share " + d.tiles().share() + " of the tiles computed; " + e.missing() + " of " + e.tiles()
                        + " tiles are still missing";
                tracked.partial(done);
                return new RunOutcome(runDir, d.objectiveName(), List.of(), d.model().summary(), timings, List.of(),
                        "Partial surface (" + done + "). " + RunState.read(runDir).map(st -> st.advice(runDir)).orElse(""));
            }
            timings.put("probe", seconds(t0));
            timings.putAll(job); // of which the points (the rest: the probe's planning, e.g. drawing the directions)
            if (tracked != null) {
                tracked.stage("analysis");
            }
            t0 = System.nanoTime();
            Analysis.Outcome analysed = d.analysis().run(surface, d.objective(), d.context());
            surface = analysed.surface();
            timings.put("analysis", seconds(t0));
            if (tracked != null) {
                tracked.stage("writing the numbers"); // "rendering" once they are whole (RunState.surfaceWhole)
            }
            Object evaluator = surface.info().get("evaluator");
            if (evaluator != null) {
                progress.info("Surface evaluated by the " + evaluator + " evaluator"
                        + (surface.info().containsKey("evaluator-note") ? " (" + surface.info().get("evaluator-note") + ")" : ""));
            }
            RunResult result = new RunResult(runDir.getFileName().toString(), surface,
                    withArtefacts(d.model(), analysed.arrays(), d.objective().artefacts()), provenance(d, surface));
            t0 = System.nanoTime();
            Renderers.Rendered rendered = Renderers.render(d.renderers(), result, runDir,
                    () -> {
                        if (tracked != null) {
                            tracked.stage("rendering");
                        }
                    },
                    why -> {
                        if (tracked != null) {
                            try {
                                tracked.fail("the run's numbers could not be written: " + why);
                            } catch (LossSurfaceException stateNotWritten) {
                                // a full disk refuses state.json too; the error still says what happened
                            }
                        } else {
                            RunFolder.deleteQuietly(runDir); // half-written numbers and nothing to resume from
                        }
                    }, tracked != null);
            timings.put("render", seconds(t0));
            if (tracked != null) {
                tracked.complete();
            }
            return new RunOutcome(runDir, d.objectiveName(), rendered.files(), d.model().summary(), timings, rendered.failures(), "");
        }
    }

    /** Where the run came from: the names, every setting in force, the seed, versions, timings and details, each key once. */
    private Provenance provenance(Drawing d, Surface surface) {
        Map<String, String> inForce = new LinkedHashMap<>();
        d.settings().knownKeys().values().forEach(keys -> keys.forEach(inForce::put));
        inForce.putAll(d.settings().values());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("probe-info", surface.info());
        details.put("objective", d.objective().description());
        if (d.tracked() != null) {
            details.put("surface-job", RunTiles.job(d.runDir()));
            details.put("tile-seconds", RunTiles.seconds(d.runDir()));
            if (!d.tracked().resumes().isEmpty()) {
                details.put("resumes", d.tracked().resumes());
            }
        }
        if (!d.objectiveName().isEmpty()) {
            details.put("objective-name", d.objectiveName());
            details.put("training", "shared with the other objectives of this model: " + ((Agent) d.model()).objectiveNames());
        }
        Map<String, Object> plugins = new LinkedHashMap<>(d.plugins());
        plugins.put("probe", d.probe().getClass().getName());
        details.put("plugins", plugins);
        runtime.gitCommit().ifPresent(c -> details.put("git-commit", c));
        details.put("command", runtime.command());
        return new Provenance(d.names().task(), d.names().trainer(), d.names().probe(), inForce, d.context().seed(),
                runtime.versions(), d.timings(), details);
    }

    /**
     * {@code model} with the analysis' arrays (eigenvectors, density) and the objective's (e.g. its transition set) added
     * to the artefacts saved with the run.
     */
    private static TrainedModel withArtefacts(TrainedModel model, Map<String, NamedArray> analysis, Map<String, NamedArray> extra) {
        if (extra.isEmpty() && analysis.isEmpty()) {
            return model;
        }
        Map<String, NamedArray> all = new LinkedHashMap<>(model.artefacts());
        all.putAll(analysis);
        all.putAll(extra);
        return new TrainedModel() {
            @Override
            public float[] parameters() {
                return model.parameters();
            }

            @Override
            public ParameterLayout layout() {
                return model.layout();
            }

            @Override
            public List<float[]> checkpoints() {
                return model.checkpoints();
            }

            @Override
            public TrainingHistory history() {
                return model.history();
            }

            @Override
            public Map<String, Object> summary() {
                return model.summary();
            }

            @Override
            public Map<String, NamedArray> artefacts() {
                return all;
            }
        };
    }

    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
