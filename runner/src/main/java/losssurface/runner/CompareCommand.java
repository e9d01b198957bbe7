package losssurface.runner;

import com.google.inject.Inject;
import com.google.inject.Provider;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import losssurface.api.Comparison;
import losssurface.runs.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losssurface compare RUN_DIR RUN_DIR…}: runs side by side with one colour scale, and what differs between them. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw saved runs side by side (one page, one PNG sheet per metric) with a shared colour scale and view.")
final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "2..*", paramLabel = "RUN_DIR", description = "Two or more run folders.")
    List<Path> runs;

    @Mixin
    final PluginOptions pluginOptions;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the comparison goes (default: compare_<time> beside the first run).")
    Path out;

    private final Provider<RunService> service;
    private final Streams streams;

    @Inject
    CompareCommand(PluginOptions pluginOptions, Provider<RunService> service, Streams streams) {
        this.pluginOptions = pluginOptions;
        this.service = service;
        this.streams = streams;
    }

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : runs.get(0).toAbsolutePath().getParent()
                .resolve("compare_" + RunFolder.stamp());
        RunService.Compared compared = service.get().compare(runs, dir);
        Comparison comparison = compared.comparison();
        List<Path> files = compared.files();
        var o = streams.out();
        List<String> differences = comparison.differences();
        if (differences.isEmpty()) {
            o.println("Measured alike: " + comparison.sameMeasurement());
        } else {
            differences.forEach(d -> o.println("warning: " + d));
        }
        o.println("Comparison: " + dir);
        o.println("  files: " + String.join(", ", files.stream().map(f -> dir.relativize(f).toString()).toList()));
        o.println("  open: " + dir.resolve(RunFolder.COMPARISON_PAGE));
        return 0;
    }
}
