package losssurface.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The module graph, read from the module descriptors of the built jars (the launcher's module
 * path): the api needs only the JDK, and nothing that never touches a network requires the DL4J
 * bundle, directly or through another module.
 */
class ArchitectureIT {

    static final String BUNDLE = "losssurface.dl4j";

    static final ModuleFinder FINDER = ModuleFinder.of(Launcher.MODULES);

    /** Every module name of ours ({@code losssurface.*}) to the names it requires, directly. */
    static Map<String, Set<String>> ourGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (ModuleReference ref : FINDER.findAll()) {
            ModuleDescriptor d = ref.descriptor();
            if (d.name().startsWith("losssurface.")) {
                graph.put(d.name(), d.requires().stream().map(ModuleDescriptor.Requires::name)
                        .filter(n -> n.startsWith("losssurface.")).collect(Collectors.toCollection(TreeSet::new)));
            }
        }
        return graph;
    }

    /** Every module {@code name} requires, directly or through others, found on the module path. */
    static Set<String> closure(String name) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(Set.of(name));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            FINDER.find(next).ifPresent(ref -> ref.descriptor().requires().forEach(r -> {
                if (seen.add(r.name())) {
                    todo.push(r.name());
                }
            }));
        }
        return seen;
    }

    /** The README's Architecture section lists the graph the descriptors declare, module by module. */
    @Test
    void theReadmesModuleGraphIsTheBuiltOne() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("losssurface.readme", "../README.md")));
        String marker = "<!-- module graph: checked by ArchitectureIT -->";
        assertThat(readme).contains(marker);
        String block = readme.substring(readme.indexOf(marker));
        block = block.substring(block.indexOf("```") + 3);
        block = block.substring(block.indexOf('\n') + 1, block.indexOf("```"));
        Map<String, Set<String>> documented = new TreeMap<>();
        for (String line : block.strip().split("\n")) {
            String[] parts = line.split("->");
            Set<String> requires = new TreeSet<>();
            if (parts.length > 1) {
                for (String r : parts[1].split(",")) {
                    requires.add(r.strip());
                }
            }
            documented.put(parts[0].strip(), requires);
        }
        assertThat(documented).isEqualTo(ourGraph());
    }

    @Test
    void theApiRequiresNothingBeyondTheJdk() {
        ModuleDescriptor api = FINDER.find("losssurface.api").orElseThrow().descriptor();
        assertThat(api.isAutomatic()).isFalse();
        Set<String> required = api.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertThat(required).as("losssurface.api requires").allMatch(n -> n.equals("java.base"));
        assertThat(api.exports().stream().map(ModuleDescriptor.Exports::source))
                .containsExactlyInAnyOrder("losssurface.api", "losssurface.api.io", "losssurface.api.curvature");
    }

    @Test
    void modulesThatNeverTouchANetworkDoNotRequireTheDl4jBundle() {
        for (String module : new String[] {"losssurface.api", "losssurface.viz", "losssurface.plugin.probes",
                "losssurface.plugin.cartpole"}) {
            assertThat(FINDER.find(module)).as(module + " on the module path").isPresent();
            assertThat(closure(module)).as(module + " requires, directly or not").doesNotContain(BUNDLE)
                    .doesNotContain("losssurface.nn", "losssurface.rl");
        }
    }

    @Test
    void theSurfaceJobIsFrameworkFreeAndEachEvaluatorLivesWithItsKindOfModel() {
        assertThat(closure("losssurface.runs")).as("the surface job's module requires").doesNotContain(BUNDLE, "losssurface.nn");
        Map<String, String> evaluators = new TreeMap<>();
        for (ModuleReference ref : FINDER.findAll()) {
            ref.descriptor().provides().stream().filter(p -> p.service().equals("losssurface.api.EvaluatorProvider"))
                    .forEach(p -> p.providers().forEach(c -> evaluators.put(c, ref.descriptor().name())));
        }
        assertThat(evaluators).containsExactly(
                Map.entry("losssurface.convert.Dl4jOnnxEvaluatorProvider", "losssurface.convert"),
                Map.entry("losssurface.nn.dense.FastMlpEvaluatorProvider", "losssurface.nn"),
                Map.entry("losssurface.onnx.OnnxEvaluatorProvider", "losssurface.onnx"),
                Map.entry("losssurface.rl.FastRolloutEvaluatorProvider", "losssurface.rl"));
    }

    @Test
    void networkCodeIsWhereItsNameSays() {
        assertThat(closure("losssurface.nn")).contains(BUNDLE, "losssurface.api");
        assertThat(closure("losssurface.rl")).contains("losssurface.nn");
        assertThat(closure("losssurface.plugin.qlearning")).contains("losssurface.rl");
        assertThat(closure("losssurface.plugin.mnist")).contains("losssurface.nn").doesNotContain("losssurface.rl");
        assertThat(ourGraph().get("losssurface.convert")).as("the bridge between DL4J networks and ONNX Runtime")
                .contains("losssurface.nn", "losssurface.onnx");
        assertThat(closure("losssurface.onnx")).as("ONNX models need data files and losses, not network code")
                .contains("losssurface.data").doesNotContain("losssurface.nn");
        assertThat(closure("losssurface.data")).as("data files and losses need no framework").doesNotContain(BUNDLE)
                .doesNotContain("losssurface.nn");
        assertThat(ourGraph().get("losssurface.runner")).as("the runner requires, among our modules")
                .containsExactlyInAnyOrder("losssurface.api", "losssurface.runs");
        assertThat(closure("losssurface.runner")).as("the runner requires, directly or not")
                .doesNotContain(BUNDLE, "losssurface.nn", "losssurface.onnx");
        // plugins export nothing: they only provide services
        ourGraph().keySet().stream().filter(n -> n.startsWith("losssurface.plugin.")).forEach(n ->
                assertThat(FINDER.find(n).orElseThrow().descriptor().exports()).as(n + " exports").isEmpty());
    }
}
