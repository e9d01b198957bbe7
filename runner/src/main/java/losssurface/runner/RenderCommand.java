package losssurface.runner;

import com.google.inject.Inject;
import com.google.inject.Provider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import losssurface.api.Renderer;
import losssurface.api.RendererProvider;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.runs.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losssurface render RUN_DIR…}: draw saved runs again, e.g. with other picture settings, without recomputing. */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw the pictures and pages of saved runs again (e.g. --set png.log=true), without recomputing them.")
final class RenderCommand implements Callable<Integer> {

    @Mixin
    final PluginOptions pluginOptions;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run folders written by run, probe or demo.")
    List<Path> runs;

    @Option(names = "--renderer", split = ",", paramLabel = "RENDERER",
            description = "Renderers (default: every default one except data, whose files are already there).")
    List<String> names = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A renderer setting, e.g. png.vmax=5 (repeatable).")
    List<String> settings = new ArrayList<>();

    private final Provider<Map<String, RendererProvider>> renderers;
    private final Streams streams;

    @Inject
    RenderCommand(PluginOptions pluginOptions, Provider<Map<String, RendererProvider>> renderers, Streams streams) {
        this.pluginOptions = pluginOptions;
        this.renderers = renderers;
        this.streams = streams;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, RendererProvider> available = renderers.get();
        java.util.Set<RendererProvider> named = new java.util.LinkedHashSet<>();
        if (names.isEmpty()) {
            available.values().stream().filter(r -> r.onByDefault() && r.role() != RendererProvider.Role.NUMBERS)
                    .forEach(named::add);
        } else {
            names.forEach(n -> named.add(Plugins.lookup("renderer", n, available)));
        }
        List<RendererProvider> chosen = Renderers.inRenderOrder(named);
        Settings s = Settings.parse(settings);
        List<Renderer> created = new ArrayList<>();
        for (RendererProvider r : chosen) {
            created.add(r.create(s.forOwner("renderer " + r.name())));
        }
        s.requireAllKnown();
        for (Path dir : runs) {
            RunResult run = RunFolder.read(dir);
            List<Path> files = new ArrayList<>();
            for (Renderer r : created) {
                files.addAll(r.render(run, dir));
            }
            streams.out().println(dir + ": " + String.join(", ", files.stream().map(f -> dir.relativize(f).toString()).toList()));
        }
        return 0;
    }
}
