/** Surface probes: the random plane and random line of Li et al. 2018. */
module losssurface.plugin.probes {
    requires losssurface.api;

    provides losssurface.api.ProbeProvider with
            losssurface.plugin.probes.RandomPlaneProvider,
            losssurface.plugin.probes.RandomLineProvider;
}
