/** Renderers: the run's data files (NumPy, JSON); pictures and pages come with further renderers. */
module losssurface.viz {
    requires losssurface.api;
    requires com.fasterxml.jackson.databind;

    provides losssurface.api.RendererProvider with losssurface.viz.DataRendererProvider;
}
