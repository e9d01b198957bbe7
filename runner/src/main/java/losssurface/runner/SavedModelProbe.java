package losssurface.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;


import losssurface.api.ModelSource;
import losssurface.api.ModelSourceProvider;
import losssurface.api.ProbeProvider;
import losssurface.api.Progress;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.SurfaceProbe;
import losssurface.runs.RunFolder;
import losssurface.runs.Analysis;
import losssurface.runs.SurfaceJob;

/**
 * {@code probe --model}: a model someone else trained and saved, read by the installed model source
 * that matches it best ({@link ModelSource}: a DL4J zip, an ONNX file...), its objective over the
 * examples of a data file, and the
 * surface, provenance and render stages of a run. A probe keeps no tiles: an error or a signal
 * before the numbers are written removes its folder, so nothing misleading is left.
 */
final class SavedModelProbe {

    private final RunPlan.Planner planner;
    private final Renderers renderers;
    private final Drawer drawer;
    private final Progress progress;
    private final Map<String, ModelSourceProvider> sources;

    @com.google.inject.Inject
    SavedModelProbe(Plugins plugins, Map<String, ModelSourceProvider> sources, Progress progress, RuntimeInfo runtime) {
        this.sources = sources;
        this.renderers = new Renderers(plugins);
        this.planner = new RunPlan.Planner(plugins, renderers);
        this.drawer = new Drawer(progress, runtime);
        this.progress = progress;
    }

    RunOutcome probe(ProbeSavedRequest request) {
        Settings settings = request.settings();
        RunPlan.Named<ProbeProvider, SurfaceProbe> probe = planner.probe(request.probe(), settings);
        Renderers.Chosen chosen = renderers.create(request.renderers(), settings);
        int threads = RunPlan.Planner.threads(settings);
        SurfaceJob surfaceJob = planner.surfaceJob(settings);
        Analysis analysis = new Analysis(Analysis.Config.read(settings));
        settings.requireAllKnown();
        surfaceJob.requireSize(probe.created());

        Map<String, Double> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        ModelSource.Opened opened = sourceFor(request.model()).open(request.model(), request.data(), request.options(), progress);
        progress.info(opened.description());
        timings.put("load", Drawer.seconds(t0));

        String base = request.model().getFileName().toString().replaceAll("\\.[A-Za-z0-9]+$", "")
                .replaceAll("[^A-Za-z0-9._-]", "_");
        Path runDir = RunFolders.create(request.out(), base + "_" + probe.name());
        progress.info("Run folder: " + runDir);
        RunContext context = new RunContext(request.seed(), progress, request.cacheDir(), threads);
        Map<String, Object> plugins = new LinkedHashMap<>();
        plugins.put("model-file", request.model().toAbsolutePath().toString());
        plugins.put("data-file", request.data().toAbsolutePath().toString());
        AtomicBoolean finished = new AtomicBoolean();
        Thread onSignal = new Thread(() -> {
            if (!finished.get()) {
                RunFolder.deleteQuietly(runDir);
                progress.info("");
                progress.info("Interrupted while probing " + request.model() + "; a probe keeps no partial surface, so " + runDir
                        + " was removed. Run the probe again.");
            }
        }, "probe-interrupted");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return drawer.draw(new Drawer.Drawing(new Drawer.Names("saved-model", "none", probe.name()), plugins, probe.created(),
                    surfaceJob, analysis, chosen, settings, opened.model(), opened.objective(), context, runDir, timings, "", null,
                    RunService.TileJob.LOCAL));
        } catch (RuntimeException e) {
            RunFolder.deleteQuietly(runDir);
            throw e;
        } finally {
            finished.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** The model source that reads {@code model} best (by name, then first bytes), or a usage error naming the formats. */
    private ModelSource sourceFor(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new UsageException("Model file " + model + " does not exist. Give " + formats() + ".");
        }
        ModelSource best = null;
        ModelSource.Match bestMatch = ModelSource.Match.NO;
        for (ModelSourceProvider p : sources.values()) {
            ModelSource source = p.create(Settings.empty());
            ModelSource.Match m = source.match(model);
            if (m.compareTo(bestMatch) > 0) {
                best = source;
                bestMatch = m;
            }
        }
        if (best == null) {
            throw new UsageException("Model file " + model + " is of no format an installed model source reads. Give "
                    + formats() + ".");
        }
        return best;
    }

    private String formats() {
        return sources.isEmpty() ? "a model once a module that reads models (losssurface.nn, losssurface.onnx) is installed"
                : String.join(", or ", sources.values().stream().map(ModelSourceProvider::description).toList());
    }
}
