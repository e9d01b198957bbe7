/**
 * {@code losssurface bench}: measures the surface evaluators on the standard workloads against the
 * machine's limit and the PyTorch peer. A module of its own because it needs the network modules
 * ({@code nn}, {@code onnx}) that the runner does not; it adds its command through
 * {@link losssurface.runner.CommandProvider}.
 */
module losssurface.bench {
    requires losssurface.api;
    requires losssurface.runner;
    requires losssurface.runs;
    requires losssurface.data;
    requires losssurface.nn;
    requires losssurface.rl;
    requires losssurface.onnx;
    requires losssurface.dl4j;
    requires info.picocli;
    requires jakarta.inject;
    requires java.management; // peak heap
    requires com.microsoft.onnxruntime; // the onnx-resnet workload runs the model as it is, its weights compiled in

    provides losssurface.runner.CommandProvider with losssurface.bench.BenchCommandProvider, losssurface.bench.SoakCommandProvider;

    // picocli sets the options and Guice creates the command
    opens losssurface.bench to info.picocli, com.google.guice;
}
