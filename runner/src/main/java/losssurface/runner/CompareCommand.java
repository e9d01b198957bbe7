package losssurface.runner;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import losssurface.viz.compare.Comparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code losssurface compare RUN_DIR RUN_DIR…}: runs side by side with one colour scale, and what differs between them. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw saved runs side by side (one page, one PNG sheet per metric) with a shared colour scale and view.")
final class CompareCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Parameters(arity = "2..*", paramLabel = "RUN_DIR", description = "Two or more run folders.")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the comparison goes (default: compare_<time> beside the first run).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Comparison comparison = Comparison.of(runs);
        Path dir = out != null ? out : runs.get(0).toAbsolutePath().getParent()
                .resolve("compare_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<Path> files = comparison.write(dir);
        var o = cli.out();
        List<String> differences = comparison.differences();
        if (differences.isEmpty()) {
            o.println("Measured alike: " + comparison.sameMeasurement());
        } else {
            differences.forEach(d -> o.println("warning: " + d));
        }
        o.println("Comparison: " + dir);
        o.println("  files: " + String.join(", ", files.stream().map(f -> dir.relativize(f).toString()).toList()));
        o.println("  open: " + dir.resolve("compare.html"));
        return 0;
    }
}
