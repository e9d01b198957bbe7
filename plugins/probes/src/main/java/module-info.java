/**
 * Surface probes: the random plane and line of Li et al. 2018, the PCA plane of the training
 * path, the interpolation line between two parameter vectors, the Hessian's sharpest plane and the
 * convexity map.
 */
module losssurface.plugin.probes {
    requires losssurface.api;

    provides losssurface.api.ProbeProvider with
            losssurface.plugin.probes.RandomPlaneProvider,
            losssurface.plugin.probes.RandomLineProvider,
            losssurface.plugin.probes.TrajectoryPcaProvider,
            losssurface.plugin.probes.InterpolateProvider,
            losssurface.plugin.probes.HessianProvider,
            losssurface.plugin.probes.ConvexityProvider;
}
