package losssurface.api;

/** Chooses directions around a centre and measures an objective over a grid of them. */
public interface SurfaceProbe {

    Surface probe(ProbeInput input);
}
