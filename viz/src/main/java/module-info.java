/** Renderers: the run's data files (NumPy, JSON), PNG pictures and an interactive HTML page. */
module losssurface.viz {
    requires losssurface.runs;
    requires com.fasterxml.jackson.databind;
    requires java.desktop;

    provides losssurface.api.RendererProvider with
            losssurface.viz.DataRendererProvider,
            losssurface.viz.PngRendererProvider,
            losssurface.viz.HtmlRendererProvider,
            losssurface.viz.VtkRendererProvider;
}
