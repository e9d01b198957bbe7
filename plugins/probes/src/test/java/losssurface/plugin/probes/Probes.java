package losssurface.plugin.probes;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import losssurface.api.Objective;
import losssurface.api.ProbeInput;
import losssurface.api.ProbeProvider;
import losssurface.api.RunContext;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.SurfaceProbe;
import losssurface.api.TileStore;
import losssurface.runs.SurfaceJob;

/** Runs this module's probes as the runner does: found by ServiceLoader, planned, evaluated by the surface job. */
final class Probes {

    private Probes() {
    }

    static Surface run(String name, Map<String, String> settings, Objective objective, float[] centre, List<float[]> checkpoints,
                       long seed) {
        ProbeProvider provider = ServiceLoader.load(ProbeProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        Settings s = Settings.of(settings);
        SurfaceProbe probe = provider.create(s.forOwner("probe " + name));
        SurfaceJob job = new SurfaceJob(List.of(), SurfaceJob.Config.read(s));
        s.requireAllKnown();
        job.requireSize(probe);
        return job.run(probe, new ProbeInput(objective, centre, checkpoints, RunContext.quiet(seed)), TileStore.NONE);
    }
}
