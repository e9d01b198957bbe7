/**
 * The losssurface command line. The only module that calls {@link java.util.ServiceLoader} and
 * the only one that uses Guice: discovered providers are bound into maps keyed by name.
 */
module losssurface.runner {
    requires losssurface.api;
    requires com.google.guice;
    requires jakarta.inject;
    requires java.management; // Guice 7 is an automatic module and does not require it itself
    requires info.picocli;
    requires losssurface.runs; // reading runs back for render and compare
    // JavaCPP (inside the DL4J bundle) and Guice need sun.misc.Unsafe.
    requires jdk.unsupported;

    uses losssurface.api.TaskProvider;
    uses losssurface.api.TrainerProvider;
    uses losssurface.api.ProbeProvider;
    uses losssurface.api.RendererProvider;
    uses losssurface.api.EvaluatorProvider;
    uses losssurface.api.ModelSourceProvider;
    uses losssurface.api.ComputeBackendProvider;
    uses losssurface.runner.CommandProvider; // commands other modules of the distribution add (bench)

    // Main and LossSurfaces (the programmatic route); CommandProvider and what a contributed command receives
    exports losssurface.runner;
    opens losssurface.runner to info.picocli, com.google.guice;
}
