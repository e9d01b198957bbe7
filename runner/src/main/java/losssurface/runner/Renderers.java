package losssurface.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import losssurface.api.LossSurfaceException;
import losssurface.api.Renderer;
import losssurface.api.RendererProvider;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.runs.RunFolder;

/**
 * The render stage: which renderers a run uses (the numbers renderer always, first; then those
 * named, or every default one), in the order of their {@link RendererProvider.Role}, and the
 * failure policy: a renderer that fails is reported and the others go on, but a run whose numbers
 * cannot be written stops, keeping its tiles to resume from.
 */
final class Renderers {

    private final Plugins plugins;

    Renderers(Plugins plugins) {
        this.plugins = plugins;
    }

    /** Renderers created from the settings, by name, in the order they run. */
    record Chosen(Map<String, Renderer> byName, Set<String> numbers) {
    }

    /** What the renderers wrote, and the renderers that failed with their messages. */
    record Rendered(List<Path> files, List<String> failures) {
    }

    /** The numbers renderer, then {@code names} (or every default renderer), created from {@code settings}. */
    Chosen create(List<String> names, Settings settings) {
        Set<RendererProvider> out = new LinkedHashSet<>();
        List<RendererProvider> all = plugins.of(Kind.RENDERER).stream().map(Plugin::provider).toList();
        all.stream().filter(r -> r.role() == RendererProvider.Role.NUMBERS).forEach(out::add);
        if (names.isEmpty()) {
            all.stream().filter(RendererProvider::onByDefault).forEach(out::add);
        } else {
            names.forEach(n -> out.add(plugins.find(Kind.RENDERER, n).provider()));
        }
        Map<String, Renderer> chosen = new LinkedHashMap<>();
        Set<String> numbers = new LinkedHashSet<>();
        for (RendererProvider r : inRenderOrder(out)) {
            chosen.put(r.name(), r.create(settings.forOwner("renderer " + r.name())));
            if (r.role() == RendererProvider.Role.NUMBERS) {
                numbers.add(r.name());
            }
        }
        return new Chosen(chosen, numbers);
    }

    /** Renderers in the order they run: numbers, pictures, pages; by name within each. */
    static List<RendererProvider> inRenderOrder(Collection<RendererProvider> chosen) {
        return chosen.stream().sorted(Comparator.comparing(RendererProvider::role).thenComparing(RendererProvider::name)).toList();
    }

    /**
     * Has every chosen renderer draw {@code result} into {@code runDir}.
     *
     * @param numbersWritten called once the numbers are written (the run's state moves on to rendering)
     * @param numbersFailed  called with the reason when the numbers cannot be written, before the error is thrown
     * @param keepsTiles     whether the run keeps its tiles (so it can be resumed to write the numbers)
     * @throws LossSurfaceException when the numbers cannot be written: without them the run is not a run
     */
    static Rendered render(Chosen chosen, RunResult result, Path runDir, Runnable numbersWritten,
                           java.util.function.Consumer<String> numbersFailed, boolean keepsTiles) {
        List<Path> files = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Renderer> r : chosen.byName().entrySet()) {
            try {
                files.addAll(r.getValue().render(result, runDir));
            } catch (IOException | UncheckedIOException e) {
                failures.add(r.getKey() + ": could not write into " + runDir + ": " + e.getMessage());
            } catch (LossSurfaceException e) {
                failures.add(r.getKey() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                failures.add(r.getKey() + ": failed with " + e);
            }
            boolean numbers = chosen.numbers().contains(r.getKey());
            if (failures.isEmpty() && numbers) {
                numbersWritten.run();
            }
            if (!failures.isEmpty() && numbers) {
                String why = failures.get(0).substring(r.getKey().length() + 2).replace("could not write into " + runDir + ": ", "");
                numbersFailed.accept(why);
                boolean tiles = keepsTiles && Files.isDirectory(runDir.resolve(RunFolder.TILES));
                throw new LossSurfaceException("The run's numbers (surface.json and the .npy files) could not be written into "
                        + runDir + ": " + why + ". Nothing else was drawn. " + (tiles
                        ? "The surface itself is kept in " + runDir.resolve(RunFolder.TILES) + ": free space (or fix the folder), then"
                        + " run 'losssurface resume " + runDir + "' to write it without computing it again."
                        : "The half-written folder was removed. Free space (or choose another folder with --out) and run it again."));
            }
        }
        return new Rendered(files, failures);
    }
}
