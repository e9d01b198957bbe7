package losssurface.api;

import java.util.Optional;

/**
 * Chooses the directions around a centre along which a surface is measured. The probe only
 * plans: the surface job of the framework evaluates the points (max-points, tiles, shares,
 * resume, progress and the first tile's estimate), so every probe gets them without a line of
 * its own.
 */
public interface SurfaceProbe {

    /**
     * The points to evaluate around {@code input}'s centre: axes, directions and what to report.
     * May evaluate the objective itself to choose the directions (e.g. gradients for the Hessian's
     * eigenvectors), but not the surface.
     */
    SurfacePlan plan(ProbeInput input);

    /**
     * The number of points this probe's settings ask for, where it is known before training, so an
     * oversized grid is refused before any work. Default: unknown (checked once the plan is made).
     */
    default Optional<SurfaceSize> size() {
        return Optional.empty();
    }
}
