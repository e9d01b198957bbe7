package losssurface.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import losssurface.api.Objective;
import losssurface.api.ParameterLayout;
import losssurface.api.ProbeInput;
import losssurface.api.ProbeProvider;
import losssurface.api.Provenance;
import losssurface.api.RunContext;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.TileStore;
import losssurface.api.TrainedModel;
import losssurface.api.TrainingHistory;
import losssurface.runs.Analysis;
import losssurface.runs.SurfaceJob;

/**
 * The programmatic route: probe any {@link Objective} (your own network and data, or any
 * function of a parameter vector) with the installed probes, and render the result, without
 * the command line.
 *
 * <pre>{@code
 * LossSurfaces surfaces = LossSurfaces.create();
 * Objective objective = NetworkObjective.of(myNet, myIterator, "my validation set");
 * Surface surface = surfaces.probe("random-plane", Map.of("plane.grid", "21"), objective, myNet.params().toFloatVector());
 * surfaces.render(surface, Path.of("my-surface"));
 * }</pre>
 */
public final class LossSurfaces {

    private final Plugins plugins;
    private final long seed;

    private LossSurfaces(Plugins plugins, long seed) {
        this.plugins = plugins;
        this.seed = seed;
    }

    /**
     * Finds the installed probes, renderers and evaluators (the module path or class path of the caller). Seed 42. Fixes
     * ND4J's native threads at one per worker, as the command line does.
     */
    public static LossSurfaces create() {
        Plugins plugins = new PluginDiscovery(Optional.empty(), Optional.empty()).discover();
        NativeThreads.fix(plugins);
        return new LossSurfaces(plugins, 42);
    }

    /** The same plugins with another seed for the directions. */
    public LossSurfaces withSeed(long newSeed) {
        return new LossSurfaces(plugins, newSeed);
    }

    /**
     * Probes {@code objective} around {@code centre}.
     *
     * @param probe    a probe name, e.g. {@code random-plane}
     * @param settings the probe's settings, e.g. {@code plane.grid=21}, and the surface job's ({@code surface.evaluator},
     *                 {@code surface.max-points}) and the analysis' ({@code sharpness}, {@code curvature}); unknown keys
     *                 are rejected. The surface's info holds the analysis' numbers (its arrays, eigenvectors and
     *                 density, are a run folder's only)
     */
    public Surface probe(String probe, Map<String, String> settings, Objective objective, float[] centre) {
        Plugin<ProbeProvider> p = plugins.find(Kind.PROBE, probe);
        Settings s = Settings.of(settings);
        var created = p.provider().create(s.forOwner("probe " + probe));
        SurfaceJob job = RunPlan.surfaceJob(plugins, s);
        Analysis analysis = new Analysis(Analysis.Config.read(s));
        s.requireAllKnown();
        job.requireSize(created);
        RunContext context = RunContext.quiet(seed);
        Surface surface = job.run(created, new ProbeInput(objective, centre, List.of(), context), TileStore.NONE);
        return analysis.run(surface, objective, context).surface();
    }

    /** Writes the data files, pictures and page of {@code surface} into {@code dir} with every default renderer. */
    public List<Path> render(Surface surface, Path dir) throws IOException {
        Files.createDirectories(dir);
        TrainedModel model = TrainedModel.of(surface.centre(), ParameterLayout.flat(surface.centre().length),
                TrainingHistory.empty(), Map.of());
        Provenance provenance = new Provenance("embedded", "none", String.valueOf(surface.info().getOrDefault("method", "probe")),
                Map.of(), seed, new RuntimeInfo(List.of(), () -> NativeThreads.describe(plugins)).versions(), Map.of(), Map.of());
        RunResult run = new RunResult(dir.getFileName().toString(), surface, model, provenance);
        List<Path> files = new ArrayList<>();
        for (losssurface.api.Renderer r : new Renderers(plugins).create(List.of(), Settings.empty()).byName().values()) {
            files.addAll(r.render(run, dir));
        }
        return files;
    }
}
