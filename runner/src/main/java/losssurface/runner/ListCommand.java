package losssurface.runner;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code losssurface list}: every discovered plugin with its description, module and origin. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every task, trainer, probe and renderer found, with where each was loaded from.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Mixin
    Cli.PluginOptions pluginOptions = new Cli.PluginOptions();

    @Override
    public Integer call() {
        Plugins plugins = cli.injector(pluginOptions).getInstance(Plugins.class);
        PrintStream out = cli.out();
        section(out, "Tasks", plugins.tasks(), p -> p.provider().description());
        section(out, "Trainers", plugins.trainers(), p -> p.provider().description()
                + " [trains " + p.provider().taskType().getSimpleName() + "]");
        section(out, "Probes", plugins.probes(), p -> p.provider().description());
        section(out, "Renderers", plugins.renderers(), p -> p.provider().description()
                + (p.provider().onByDefault() ? "" : " [off unless named]"));
        return 0;
    }

    private static <P> void section(PrintStream out, String title, List<Plugin<P>> plugins,
                                    java.util.function.Function<Plugin<P>, String> description) {
        out.println(title + ":");
        if (plugins.isEmpty()) {
            out.println("  (none)");
        }
        int width = plugins.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        plugins.stream().sorted(java.util.Comparator.comparing(Plugin::name)).forEach(p -> {
            out.printf("  %-" + width + "s  %s%n", p.name(), description.apply(p));
            out.printf("  %-" + width + "s  module %s, from %s%n", "", p.module(), p.location());
        });
        out.println();
    }

}
