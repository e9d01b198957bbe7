/** Renderers: the run's data files (NumPy, JSON), PNG pictures and an interactive HTML page. */
module losssurface.viz {
    requires losssurface.api;
    requires com.fasterxml.jackson.databind;
    requires java.desktop;

    // The one exported package: reading runs back and comparing them, for the runner's commands.
    exports losssurface.viz.compare;

    provides losssurface.api.RendererProvider with
            losssurface.viz.DataRendererProvider,
            losssurface.viz.PngRendererProvider,
            losssurface.viz.HtmlRendererProvider;
}
